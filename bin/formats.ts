/** The output formats of `explain`: each turns diagnoses into the exact text printed on stdout. */
import type { Diagnosis } from '../lambda';
import { slackPayload } from '../lambda/notify/slackPayload';
import { snsPublishInput } from '../lambda/notify/snsMessage';
import { formatText } from '../lambda/notify/text';

export const FORMATS = ['json', 'text', 'slack', 'sns'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  asList: boolean;
  color: boolean;
  snsTopicArn?: string;
}

function one(diagnosis: Diagnosis, format: Exclude<Format, 'text'>, options: RenderOptions): unknown {
  if (format === 'slack') return slackPayload(diagnosis);
  if (format === 'sns') return snsPublishInput(diagnosis, options.snsTopicArn);
  return diagnosis;
}

export function render(diagnoses: Diagnosis[], format: Format, options: RenderOptions): string {
  if (format === 'text') return diagnoses.map((d) => formatText(d, { color: options.color })).join('\n\n────────\n\n');
  const rendered = diagnoses.map((d) => one(d, format, options));
  return JSON.stringify(options.asList ? rendered : rendered[0], null, 2);
}
