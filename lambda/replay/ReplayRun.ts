/**
 * One replay, fed batch by batch (a log file, a page of query rows): each batch's records in scope are
 * parsed, joined by upload (also with uploads of earlier batches), diagnosed against their snapshots and
 * counted in one summary. Whatever the source, a trail's history comes out grouped the same way.
 */
import { diagnoseUpload } from '../engine/diagnoseUpload';
import { EventError } from '../events/errors';
import { joinUploads } from '../events/joinUploads';
import { parseRecord } from '../events/parseEvent';
import { uploadRecordOf } from '../events/uploadRecord';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import { isCandidate } from './isCandidate';
import { RecentUploads } from './RecentUploads';
import { ReplaySummary } from './ReplaySummary';

/** Where replay gets each request's snapshot: a folder, or the collectors reading AWS. */
export interface SnapshotSource {
  snapshotFor(request: DeniedRequest): AccountSnapshot | null | Promise<AccountSnapshot | null>;
}

export class ReplayRun {
  readonly summary = new ReplaySummary();
  private readonly recent = new RecentUploads();

  /** @param since ISO time; earlier records are skipped */
  constructor(
    private readonly snapshots: SnapshotSource,
    private readonly since: string | null,
  ) {}

  /** @param source where the batch came from (a file's path), to name a record that could not be read */
  async diagnose(records: unknown[], source: string): Promise<void> {
    const { summary } = this;
    summary.records += records.length;
    const requests = this.requestsOf(records, source);
    const indexOf = new Map(requests.map(({ request, index }) => [request, index]));
    for (const denial of joinUploads(requests.map((r) => r.request))) {
      const { request } = denial;
      const uploads = [request, ...denial.joined].map(uploadRecordOf);
      if (uploads.some((upload) => this.recent.find(upload))) {
        summary.joined += uploads.length;
        continue;
      }
      for (const upload of uploads) this.recent.remember(upload);
      // A snapshot source that fails (no credentials, a folder gone) fails the replay; a record the engine
      // cannot diagnose is that record's error, and the rest goes on.
      const snapshot = await this.snapshots.snapshotFor(request);
      if (!snapshot) {
        summary.noSnapshotFor([request.event.id, ...denial.joined.map((j) => j.event.id)]);
        continue;
      }
      try {
        summary.add(diagnoseUpload(denial, snapshot));
        summary.joined += denial.joined.length;
      } catch (error) {
        const index = indexOf.get(request) ?? -1;
        summary.recordError({ file: source, index, eventId: request.event.id, reason: `not diagnosed (${(error as Error).message})` });
      }
    }
  }

  /** The batch's records in scope, parsed; one that cannot be read is counted as that record's error. */
  private requestsOf(records: unknown[], source: string) {
    const { summary, since } = this;
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
        summary.recordError({ file: source, index, eventId: error.eventId, reason: error.message });
      }
    }
    return requests;
  }
}
