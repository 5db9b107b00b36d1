/**
 * One denied upload can leave several records: the failed PutObject, the failed KMS call S3 made for it
 * (a management event, logged apart), and in a cross-account call a copy for each account with one
 * `sharedEventID`. They are one denial and deserve one diagnosis and one alert.
 *
 * The KMS call names its object only in the encryption context (`aws:s3:arn`), and its caller is the
 * uploader's own session (same principal id), invoked by S3; it is made while S3 handles the request, so
 * its time is the upload's within seconds. Two records of the same service are never joined: two PutObjects
 * are two requests, and merging them could hide a second, different denial.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import { jsonSha256 } from '../model/jsonSha256';
import type { DeniedRequest } from '../model/request';

/** How far apart a PutObject and the KMS call S3 made for it may be logged. */
export const JOIN_SECONDS = 60;

/** What identifies a record's upload, small enough to keep in DynamoDB beside the alert it raised. */
export interface UploadRecord {
  eventId: string;
  service: 's3' | 'kms';
  /** Epoch seconds; null when the record carries no time, and then it joins only by `sharedEventID`. */
  at: number | null;
  /** Keys under which the upload can be found: its caller and object, and its shared event id. */
  keys: string[];
}

/** @example uploadRecordOf(request).keys // ['object:…', 'shared:…'] */
export function uploadRecordOf(request: DeniedRequest): UploadRecord {
  const { caller } = request;
  const keys: string[] = [];
  // The principal id is the one identity every copy and the KMS call share; a service has only its name.
  const who = caller.principalId ?? caller.invokedBy;
  if (who && request.bucket) {
    const object = (key: string) => `object:${jsonSha256([caller.accountId, who, request.bucket ?? '', key]).slice(0, 32)}`;
    keys.push(object(request.key ?? ''));
    // With an S3 Bucket Key the KMS call's context names the bucket, not the object.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
    if (request.service === 's3' && request.key) keys.push(object(''));
  }
  if (request.sharedEventId) keys.push(`shared:${request.sharedEventId}`);
  const at = Date.parse(request.event.time);
  return { eventId: request.event.id, service: request.service, at: Number.isNaN(at) ? null : Math.floor(at / 1000), keys };
}

/** Are two records of one upload? A record is never joined to itself (a retry is not another record). */
export function sameUpload(a: UploadRecord, b: UploadRecord): boolean {
  if (a.eventId === b.eventId) return false;
  const shared = a.keys.filter((key) => b.keys.includes(key));
  if (shared.some((key) => key.startsWith('shared:'))) return true;
  if (a.service === b.service || a.at === null || b.at === null) return false;
  return shared.some((key) => key.startsWith('object:')) && Math.abs(a.at - b.at) <= JOIN_SECONDS;
}
