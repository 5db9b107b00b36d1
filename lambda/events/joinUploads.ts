/**
 * The records of one file grouped by upload: the PutObject (or the caller's copy of a cross-account call)
 * is diagnosed, and what the other records of its upload say is evidence for it. The KMS call's message
 * often names the deciding policy where S3's says only "Access Denied".
 */
import type { DeniedRequest } from '../model/request';
import { sameUpload, type UploadRecord, uploadRecordOf } from './uploadRecord';

export interface UploadDenial {
  request: DeniedRequest;
  /** The upload's other records, joined into this one. */
  joined: DeniedRequest[];
}

/** The record that speaks for the upload: S3's over KMS's, the caller's copy over the owner's. */
function rank(request: DeniedRequest): number {
  const ownersCopy = request.recipientAccountId !== null && request.recipientAccountId !== request.caller.accountId;
  return (request.service === 's3' ? 0 : 2) + (ownersCopy ? 1 : 0);
}

/** In linear time: each record looks up only the uploads that share one of its keys. */
export function joinUploads(requests: DeniedRequest[]): UploadDenial[] {
  const records = requests.map(uploadRecordOf);
  const byKey = new Map<string, { record: UploadRecord; denial: UploadDenial }[]>();
  const primaryAt = new Map<number, UploadDenial>();
  const order = requests.map((_, i) => i).sort((a, b) => rank(requests[a]!) - rank(requests[b]!) || a - b);
  for (const i of order) {
    const record = records[i]!;
    const candidates = record.keys.flatMap((key) => byKey.get(key) ?? []);
    const primary = candidates.find((candidate) => sameUpload(candidate.record, record));
    if (primary) {
      primary.denial.joined.push(requests[i]!);
      continue;
    }
    const denial: UploadDenial = { request: requests[i]!, joined: [] };
    primaryAt.set(i, denial);
    for (const key of record.keys) {
      const list = byKey.get(key) ?? [];
      list.push({ record, denial });
      byKey.set(key, list);
    }
  }
  // In the order of the input, as a reader of the file expects them.
  return requests.flatMap((_, i) => primaryAt.get(i) ?? []);
}
