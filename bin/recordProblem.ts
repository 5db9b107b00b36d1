/** A record that was not diagnosed, as one line a person can find it by: file, record index, event id, reason. */
import { safeForTerminal } from '../lambda/notify/safeForTerminal';

export interface RecordProblem {
  file: string;
  /** Its place in the file's Records (or lines), from 0, when known. */
  index?: number | null;
  eventId: string | null;
  reason: string;
}

/** @example recordProblemLine({ file: 'a.jsonl', index: 2, eventId: null, reason: 'line 3 is not valid JSON' }) */
export function recordProblemLine({ file, index, eventId, reason }: RecordProblem): string {
  const where = index === null || index === undefined ? '' : `record ${index} `;
  return `${safeForTerminal(file)}: ${where}(event ${safeForTerminal(eventId ?? 'without id')}): ${safeForTerminal(reason)}`;
}
