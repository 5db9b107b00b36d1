/** A policy element that may be one string or a list of them, as a list; entries that are not strings never match. */
import type { OneOrMany } from './types';

export function listOf(value: OneOrMany<string> | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}
