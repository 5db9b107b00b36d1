/**
 * Condition keys a real upload can carry that its CloudTrail record does not tell: the age of a presigned
 * URL's signature, the Referer and User-Agent headers as sent, the object tags and Object Lock settings of
 * the upload, an access point's network origin. Absent from the rebuilt request, they are unknown, not
 * absent: a statement that turns on one of them may have decided either way.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/bucket-policy-s3-sigv4-conditions.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-referer
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
 * On an S3 call, aws:ResourceTag is the bucket's tags (an access point's, through one), which count only once
 * ABAC is enabled on the bucket: neither the tags nor that setting is in the record or read for it.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/buckets-tagging.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-tagging.html
 */
import type { ConditionTrace } from './types';

const UNRECORDED = new Set([
  's3:signatureage',
  'aws:referer',
  'aws:useragent',
  's3:x-amz-content-sha256',
  's3:requestobjecttagkeys',
  's3:object-lock-mode',
  's3:object-lock-retain-until-date',
  's3:object-lock-remaining-retention-days',
  's3:object-lock-legal-hold',
  's3:accesspointnetworkorigin',
]);

const UNRECORDED_PREFIXES = ['s3:requestobjecttag/'];
const UNREAD_ON_S3 = 'aws:resourcetag/';

/** @param service whose call the key is tested on: a KMS call's aws:ResourceTag is its key's tags, which are read */
export function isUnrecordedKey(key: string, service: 's3' | 'kms'): boolean {
  const lower = key.toLowerCase();
  if (service === 's3' && lower.startsWith(UNREAD_ON_S3)) return true;
  // Stryker disable next-line MethodExpression: with one prefix, some and every agree (equivalent).
  return UNRECORDED.has(lower) || UNRECORDED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/**
 * The unrecorded keys a statement's outcome turned on: every condition it failed is on one of them, with no
 * value in the request. Empty when a recorded key decided, or nothing failed.
 */
export function unrecordedKeysDeciding(conditions: ConditionTrace[], service: 's3' | 'kms'): string[] {
  const failed = conditions.filter((c) => !c.satisfied);
  // Stryker disable next-line ConditionalExpression: with nothing failed, the keys are none either way (equivalent).
  if (failed.length === 0 || !failed.every((c) => c.actual === null && isUnrecordedKey(c.key, service))) return [];
  return [...new Set(failed.map((c) => c.key))];
}

/** Why the keys are unknown, in words: `s3:signatureAge, which CloudTrail does not record`. */
export function unknownKeysInWords(keys: string[]): string {
  const tags = keys.filter((k) => k.toLowerCase().startsWith(UNREAD_ON_S3));
  const unrecorded = keys.filter((k) => !tags.includes(k));
  return [
    ...(unrecorded.length > 0 ? [`${unrecorded.join(', ')}, which CloudTrail does not record`] : []),
    ...(tags.length > 0 ? [`${tags.join(', ')}, the bucket's tags, which count once ABAC is enabled on it and were not read`] : []),
  ].join('; and ');
}
