/** Streams CloudTrail log files through the engine: one file in memory at a time, bad files reported and skipped. */
import { readFile } from 'node:fs/promises';
import { EventError } from '../events/errors';
import { readEventDocument } from '../events/readEventDocument';
import { findLogFiles } from './findLogFiles';
import { isDigestDocument, isDigestPath } from './isDigestFile';
import { ReplayRun, type SnapshotSource } from './ReplayRun';
import type { ReplaySummary } from './ReplaySummary';

export interface ReplayOptions {
  snapshots: SnapshotSource;
  /** ISO time; earlier records are skipped. */
  since?: string | null;
  onFile?: (file: string, summary: ReplaySummary) => void;
}

/** A log file's Records; a lone record or EventBridge envelope is replayed too, as `explain` reads it. */
function recordsOf(document: unknown): unknown[] {
  const shaped = (document ?? {}) as { Records?: unknown; 'detail-type'?: unknown; detail?: unknown; eventSource?: unknown };
  if (Array.isArray(shaped.Records)) return shaped.Records;
  if (shaped['detail-type'] !== undefined) return [shaped.detail];
  if (typeof shaped.eventSource === 'string') return [document];
  throw new EventError('not a CloudTrail log file (no Records list), record or EventBridge envelope');
}

/** @example const summary = await replayLogs(['./AWSLogs'], { snapshots: new SnapshotDirectory('./snapshots') }) */
export async function replayLogs(paths: string[], options: ReplayOptions): Promise<ReplaySummary> {
  const run = new ReplayRun(options.snapshots, options.since ?? null);
  const { summary } = run;
  for await (const file of findLogFiles(paths)) {
    if (isDigestPath(file)) {
      summary.digestFiles += 1;
      continue;
    }
    summary.files += 1;
    let records: unknown[];
    try {
      const document = readEventDocument(await readFile(file));
      if (isDigestDocument(document)) {
        summary.files -= 1;
        summary.digestFiles += 1;
        continue;
      }
      records = recordsOf(document);
    } catch (error) {
      summary.badFiles.push({ file, reason: (error as Error).message });
      continue;
    }
    await run.diagnose(records, file);
    options.onFile?.(file, summary);
  }
  return summary;
}
