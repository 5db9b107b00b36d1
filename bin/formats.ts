/** The output formats of `explain`: each turns diagnoses into the exact text printed on stdout. */
import type { Diagnosis } from '../lambda';
import { formatText } from '../lambda/notify/text';

export const FORMATS = ['json', 'text'] as const;
export type Format = (typeof FORMATS)[number];

export function render(diagnoses: Diagnosis[], format: Format, asList: boolean, color: boolean): string {
  if (format === 'json') return JSON.stringify(asList ? diagnoses : diagnoses[0], null, 2);
  return diagnoses.map((d) => formatText(d, { color })).join('\n\n────────\n\n');
}
