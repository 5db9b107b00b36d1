/** Replay's summary as a table for people, JSON for programs, or CSV for spreadsheets. */
import type { ReplaySummary } from '../lambda/replay/ReplaySummary';
import { safeForTerminal } from '../lambda/notify/safeForTerminal';
import { recordProblemLine } from './recordProblem';

export const REPLAY_FORMATS = ['table', 'json', 'csv'] as const;
export type ReplayFormat = (typeof REPLAY_FORMATS)[number];

const COLUMNS = ['count', 'firstSeen', 'lastSeen', 'principal', 'bucket', 'action', 'layer', 'statement', 'fix', 'eventIds'] as const;

/** Cells starting with = + - @ would run as formulas in a spreadsheet; object keys are attacker-controlled. */
function csvCell(value: string | number | string[]): string {
  let text = Array.isArray(value) ? value.join(' ') : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function clip(text: string, width: number): string {
  const safe = safeForTerminal(text);
  return safe.length <= width ? safe.padEnd(width) : `${safe.slice(0, width - 1)}…`;
}

function counts(summary: ReplaySummary): string {
  return [
    `${summary.files} file(s), ${summary.records} record(s), ${summary.candidates} failed write(s) or KMS call(s) in scope${summary.digestFiles > 0 ? `; ${summary.digestFiles} CloudTrail digest file(s) passed over` : ''}`,
    `${summary.diagnosed} diagnosed in ${summary.denialGroups().length} group(s), ${summary.joined} joined to their upload's diagnosis, ${summary.withoutSnapshot} without a snapshot, ${summary.malformedRecords} malformed record(s)${summary.beforeSince > 0 ? `, ${summary.beforeSince} before --since` : ''}`,
    ...(summary.withoutSnapshotEventIds.length > 0
      ? [
          `without a snapshot: ${summary.withoutSnapshotEventIds.map(safeForTerminal).join(' ')}${summary.withoutSnapshot > summary.withoutSnapshotEventIds.length ? ' …' : ''}`,
        ]
      : []),
    ...summary.badFiles.map((b) => `bad file ${safeForTerminal(b.file)}: ${safeForTerminal(b.reason)}`),
    ...summary.recordErrors.map((r) => `bad record ${recordProblemLine(r)}`),
  ].join('\n');
}

export function renderReplay(summary: ReplaySummary, format: ReplayFormat): string {
  const groups = summary.denialGroups();
  if (format === 'json') {
    const { files, digestFiles, records, candidates, diagnosed, joined, beforeSince, withoutSnapshot, withoutSnapshotEventIds } = summary;
    const { malformedRecords, badFiles, recordErrors } = summary;
    const counted = { files, digestFiles, records, candidates, diagnosed, joined, beforeSince, withoutSnapshot, withoutSnapshotEventIds };
    return JSON.stringify({ ...counted, malformedRecords, badFiles, recordErrors, groups }, null, 2);
  }
  if (format === 'csv') return [COLUMNS.join(','), ...groups.map((g) => COLUMNS.map((c) => csvCell(g[c])).join(','))].join('\n');
  const header = `${'count'.padStart(6)}  ${clip('first seen', 20)}  ${clip('last seen', 20)}  ${clip('principal', 44)}  ${clip('bucket', 24)}  ${clip('action', 18)}  ${clip('layer', 20)}  ${clip('statement', 24)}  ${clip('first event', 36)}  fix`;
  const rows = groups.map(
    (g) =>
      `${String(g.count).padStart(6)}  ${clip(g.firstSeen, 20)}  ${clip(g.lastSeen, 20)}  ${clip(g.principal, 44)}  ${clip(g.bucket, 24)}  ${clip(g.action, 18)}  ${clip(g.layer, 20)}  ${clip(g.statement, 24)}  ${clip(g.eventIds[0] ?? '', 36)}  ${safeForTerminal(g.fix)}`,
  );
  return [header, ...rows, '', counts(summary)].join('\n');
}
