/** "…and 412 more like this since 2026-11-20T09:15:02Z": what alert suppression held back. */
import type { Repeats } from '../suppress/AlertSuppressor';

export function repeatNote(repeats: Repeats): string {
  return `…and ${repeats.count} more like this since ${repeats.since}, not alerted separately.`;
}
