/**
 * The uploads a replay already diagnosed, remembered across log files: a trail writes a file every few
 * minutes, so an upload's PutObject and the KMS call S3 made for it, or the two accounts' copies, can sit
 * in different files. A later record of an upload already counted is joined to it, not diagnosed again.
 * Only a window of record time is kept, so a month of logs never piles up here.
 */
import { JOIN_SECONDS, sameUpload, type UploadRecord } from '../events/uploadRecord';

/** Longer than any gap between two files of one upload's records; short enough to stay small. */
const WINDOW_SECONDS = 15 * 60;
const MOST_KEPT = 50_000;

export class RecentUploads {
  private readonly byKey = new Map<string, UploadRecord[]>();
  private latest = 0;
  private kept = 0;

  /** The upload a record belongs to, if one was already counted. */
  find(upload: UploadRecord): UploadRecord | null {
    for (const key of upload.keys) {
      const match = this.byKey.get(key)?.find((known) => sameUpload(known, upload));
      if (match) return match;
    }
    return null;
  }

  remember(upload: UploadRecord): void {
    if (upload.at !== null) this.latest = Math.max(this.latest, upload.at);
    for (const key of upload.keys) this.byKey.set(key, [...(this.byKey.get(key) ?? []), upload]);
    this.kept += 1;
    if (this.kept > MOST_KEPT) this.forgetBefore(this.latest - Math.max(WINDOW_SECONDS, JOIN_SECONDS));
  }

  private forgetBefore(oldest: number): void {
    this.kept = 0;
    for (const [key, uploads] of this.byKey) {
      const recent = uploads.filter((u) => u.at === null || u.at >= oldest);
      if (recent.length === 0) this.byKey.delete(key);
      else this.byKey.set(key, recent);
      this.kept += recent.length;
    }
  }
}
