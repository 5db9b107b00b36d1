/** Streams CloudTrail log files through the engine: one file in memory at a time, bad files reported and skipped. */
import { readFile } from 'node:fs/promises';
import { diagnoseUpload } from '../engine/diagnoseUpload';
import { EventError } from '../events/errors';
import { joinUploads } from '../events/joinUploads';
import { parseRecord } from '../events/parseEvent';
import { readEventDocument } from '../events/readEventDocument';
import { isDigestDocument, isDigestPath } from './isDigestFile';
import { RecentUploads } from './RecentUploads';
import { uploadRecordOf } from '../events/uploadRecord';
import { findLogFiles } from './findLogFiles';
import { isCandidate } from './isCandidate';
import { ReplaySummary } from './ReplaySummary';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';

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

/** A log file's Records; a lone record or EventBridge envelope is replayed too, as `explain` reads it. */
function recordsOf(document: unknown): unknown[] {
  const shaped = (document ?? {}) as { Records?: unknown; 'detail-type'?: unknown; detail?: unknown; eventSource?: unknown };
  if (Array.isArray(shaped.Records)) return shaped.Records;
  if (shaped['detail-type'] !== undefined) return [shaped.detail];
  if (typeof shaped.eventSource === 'string') return [document];
  throw new EventError('not a CloudTrail log file (no Records list), record or EventBridge envelope');
}

/** The file's records in scope, parsed; one that cannot be read is counted as that record's error. */
function requestsOf(records: unknown[], since: string | null, file: string, summary: ReplaySummary) {
  const requests: { request: DeniedRequest; index: number }[] = [];
  for (const [index, record] of records.entries()) {
    if (!isCandidate(record, since)) {
      if (since !== null && isCandidate(record, null)) summary.beforeSince += 1;
      continue;
    }
    summary.candidates += 1;
    try {
      requests.push({ request: parseRecord(record), index });
    } catch (error) {
      if (!(error instanceof EventError)) throw error;
      summary.recordError({ file, index, eventId: error.eventId, reason: error.message });
    }
  }
  return requests;
}

/** @example const summary = await replayLogs(['./AWSLogs'], { snapshots: new SnapshotDirectory('./snapshots') }) */
export async function replayLogs(paths: string[], options: ReplayOptions): Promise<ReplaySummary> {
  const summary = new ReplaySummary();
  const since = options.since ?? null;
  const recent = new RecentUploads();
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
    summary.records += records.length;
    const requests = requestsOf(records, since, file, summary);
    const indexOf = new Map(requests.map(({ request, index }) => [request, index]));
    for (const denial of joinUploads(requests.map((r) => r.request))) {
      const { request } = denial;
      const uploads = [request, ...denial.joined].map(uploadRecordOf);
      if (uploads.some((upload) => recent.find(upload))) {
        summary.joined += uploads.length;
        continue;
      }
      for (const upload of uploads) recent.remember(upload);
      // A snapshot source that fails (no credentials, a folder gone) fails the replay; a record the engine
      // cannot diagnose is that record's error, and the rest goes on.
      const snapshot = await options.snapshots.snapshotFor(request);
      if (!snapshot) {
        summary.noSnapshotFor([request.event.id, ...denial.joined.map((j) => j.event.id)]);
        continue;
      }
      try {
        summary.add(diagnoseUpload(denial, snapshot));
        summary.joined += denial.joined.length;
      } catch (error) {
        const index = indexOf.get(request) ?? -1;
        summary.recordError({ file, index, eventId: request.event.id, reason: `not diagnosed (${(error as Error).message})` });
      }
    }
    options.onFile?.(file, summary);
  }
  return summary;
}
