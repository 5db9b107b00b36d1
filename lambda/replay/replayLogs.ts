/** Streams CloudTrail log files through the engine: one file in memory at a time, bad files reported and skipped. */
import { readFile } from 'node:fs/promises';
import { diagnose } from '../diagnose';
import { EventError } from '../events/errors';
import { parseRecord } from '../events/parseEvent';
import { readEventDocument } from '../events/readEventDocument';
import { findLogFiles } from './findLogFiles';
import { isCandidate } from './isCandidate';
import { ReplaySummary } from './ReplaySummary';
import type { DeniedRequest } from '../request';
import type { AccountSnapshot } from '../snapshot';

/** Where replay gets each request's snapshot: a folder, or the collectors reading AWS. */
export interface SnapshotSource {
  snapshotFor(request: DeniedRequest): AccountSnapshot | null | Promise<AccountSnapshot | null>;
}

export interface ReplayOptions {
  snapshots: SnapshotSource;
  /** ISO time; earlier records are skipped. */
  since?: string | null;
  onFile?: (file: string, summary: ReplaySummary) => void;
}

function recordsOf(document: unknown): unknown[] {
  const records = (document as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) throw new EventError('not a CloudTrail log file (no Records list)');
  return records;
}

/** @example const summary = await replayLogs(['./AWSLogs'], { snapshots: new SnapshotDirectory('./snapshots') }) */
export async function replayLogs(paths: string[], options: ReplayOptions): Promise<ReplaySummary> {
  const summary = new ReplaySummary();
  const since = options.since ?? null;
  for await (const file of findLogFiles(paths)) {
    summary.files += 1;
    let records: unknown[];
    try {
      records = recordsOf(readEventDocument(await readFile(file)));
    } catch (error) {
      summary.badFiles.push({ file, reason: (error as Error).message });
      continue;
    }
    summary.records += records.length;
    for (const record of records) {
      if (!isCandidate(record, since)) continue;
      summary.candidates += 1;
      try {
        const request = parseRecord(record);
        const snapshot = await options.snapshots.snapshotFor(request);
        if (snapshot) summary.add(diagnose(request, snapshot));
        else summary.withoutSnapshot += 1;
      } catch (error) {
        if (!(error instanceof EventError)) throw error;
        summary.malformedRecords += 1;
      }
    }
    options.onFile?.(file, summary);
  }
  return summary;
}
