/**
 * A cheap look at a raw record before the full parse: only failed S3 writes and KMS calls in scope pass.
 * Nearly all of a trail is something else, and this is what keeps replay fast.
 */
import { isKmsEventInScope, S3_WRITE_EVENTS } from '../events/cloudTrailRecord';
import { UnreadableLine } from '../events/readEventDocument';

export function isCandidate(record: unknown, since: string | null): boolean {
  // What cannot be read cannot be ruled out: it goes on to be reported.
  if (typeof record !== 'object' || record === null || record instanceof UnreadableLine) return true;
  const r = record as Record<string, unknown>;
  if (!r.errorCode) return false;
  if (since !== null && typeof r.eventTime === 'string' && r.eventTime < since) return false;
  if (r.eventSource === 's3.amazonaws.com') return typeof r.eventName === 'string' && S3_WRITE_EVENTS.has(r.eventName);
  if (r.eventSource === 'kms.amazonaws.com') return typeof r.eventName === 'string' && isKmsEventInScope(r.eventName);
  return false;
}
