/**
 * With Object Ownership BucketOwnerEnforced, ACLs are disabled: S3 refuses a PUT that sets any ACL other
 * than bucket-owner-full-control, with AccessControlListNotSupported.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
 */
import { allowed, notApplicable, settingBlocked } from './outcomes';
import type { LayerCheck } from './types';
import { isOutcome, visibleBucket } from './visibleBucket';

function refusedAclHeader(headers: Record<string, string>, ownerCanonicalId: string | undefined): string | null {
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'x-amz-acl' && value !== 'bucket-owner-full-control') return `${name}: ${value}`;
    if (name === 'x-amz-grant-full-control' && ownerCanonicalId && value.includes(ownerCanonicalId)) continue;
    if (name.startsWith('x-amz-grant-')) return `${name}: ${value}`;
  }
  return null;
}

export const objectOwnership: LayerCheck = (input) => {
  if (input.authorization.action !== 's3:PutObject') return notApplicable('object-ownership', input, 'checked once, on s3:PutObject');
  const bucket = visibleBucket('object-ownership', input);
  if (isOutcome(bucket)) return bucket;
  if (bucket.objectOwnership !== 'BucketOwnerEnforced') {
    return allowed('object-ownership', input, `Object Ownership is ${bucket.objectOwnership ?? 'ObjectWriter'}: ACLs are accepted`);
  }
  const refused = refusedAclHeader(input.request.headers, bucket.ownerCanonicalId);
  if (!refused) return allowed('object-ownership', input, 'ACLs are disabled and the upload sets none');
  return settingBlocked(
    'object-ownership',
    input,
    `Bucket ${bucket.name} has ACLs disabled (Object Ownership: BucketOwnerEnforced), and the upload sets one (${refused}).`,
  );
};
