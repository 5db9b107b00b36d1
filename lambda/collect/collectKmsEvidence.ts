/**
 * For an S3 denial that says only "Access Denied", the KMS call S3 made for the uploader may say more: its
 * failed CloudTrail record (a management event LookupEvents can see; S3 data events it never can), matched
 * on the caller and on the object — or, with an S3 Bucket Key, the bucket — in its encryption context.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#aws-managed-customer-managed-keys
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { s3Arn } from '../policy/arns';
import { uploadKeyReference } from '../model/uploadKey';
import type { DeniedRequest } from '../model/request';
import type { BucketSnapshot, SnapshotEvidence } from '../model/snapshot';
import type { CallBudget } from './RateLimiter';
import type { Reading } from './Reading';
import { findRecords } from './findRecords';

interface KmsRecord {
  eventID?: string;
  errorCode?: string;
  errorMessage?: string;
  userIdentity?: { arn?: string; accountId?: string };
  requestParameters?: { encryptionContext?: Record<string, string> };
}

/**
 * Only a bare AccessDenied leaves the cause unsaid: S3's `KMS.DisabledException` and the like name the key's
 * state themselves, and an expired token or a missing bucket is no KMS matter; looking for those costs the
 * account's LookupEvents slot and a round trip before the alert, to learn what the record already said.
 */
export function needsKmsEvidence(request: DeniedRequest, bucket: Partial<BucketSnapshot>): boolean {
  return (
    request.service === 's3' &&
    request.event.errorCode === 'AccessDenied' &&
    request.blame === null &&
    uploadKeyReference(request, bucket.defaultEncryption) !== null
  );
}

export async function collectKmsEvidence(
  cloudtrail: CloudTrailClient,
  request: DeniedRequest,
  reading: Reading,
  limiter: CallBudget,
): Promise<SnapshotEvidence[]> {
  const around = Date.parse(request.event.time);
  if (Number.isNaN(around)) return [];
  if (!request.bucket) return [];
  const contexts = new Set([s3Arn(request.partition, request.bucket, request.key ?? '*'), s3Arn(request.partition, request.bucket)]);
  const sameCaller = (r: KmsRecord) =>
    r.userIdentity?.arn === request.caller.sessionArn ||
    (!request.caller.sessionArn && r.userIdentity?.accountId === request.caller.accountId);
  const found = await reading.attempt('unknown', 'cloudtrail:LookupEvents', `kms-evidence|${request.event.id}`, () =>
    findRecords<KmsRecord>(
      cloudtrail,
      limiter,
      { eventName: 'GenerateDataKey', around, maxPages: 2 },
      (r) =>
        Boolean(r.errorCode && r.errorMessage) &&
        contexts.has(r.requestParameters?.encryptionContext?.['aws:s3:arn'] ?? '') &&
        sameCaller(r),
    ),
  );
  return (found ?? []).map((r) => ({
    source: `kms.amazonaws.com GenerateDataKey ${r.eventID ?? ''}`.trim(),
    errorMessage: r.errorMessage ?? '',
  }));
}
