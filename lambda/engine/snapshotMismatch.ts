/**
 * A snapshot must describe the caller and the bucket the event names. Diagnosing one principal's request
 * with another's policies, or an upload with another bucket's, gives a confident wrong answer, so such a
 * pair is refused rather than diagnosed.
 */
import { principalKindOf } from '../events/principalKind';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';

/** @returns why the snapshot is not this request's, or null when it is (or cannot be told). */
export function snapshotMismatch(request: DeniedRequest, snapshot: AccountSnapshot): string | null {
  const expected = request.caller.arn;
  const described = snapshot.principal.arn;
  if (expected && described && expected !== described) {
    return `the snapshot describes ${described}, but the caller was ${expected}`;
  }
  // Every caller's request names its bucket: a snapshot of another bucket holds none of its policies.
  if (request.service === 's3' && request.bucket && snapshot.bucket.name && request.bucket !== snapshot.bucket.name) {
    return `the snapshot describes bucket ${snapshot.bucket.name}, but the request was to ${request.bucket}`;
  }
  const iamCaller = !['service', 'anonymous'].includes(principalKindOf(request.caller));
  if (iamCaller && request.caller.accountId && snapshot.principal.accountId && request.caller.accountId !== snapshot.principal.accountId) {
    return `the snapshot describes a principal in account ${snapshot.principal.accountId}, but the caller was in ${request.caller.accountId}`;
  }
  return null;
}
