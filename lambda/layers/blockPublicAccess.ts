/**
 * S3 Block Public Access: BlockPublicAcls refuses a PUT that carries a public ACL. (RestrictPublicBuckets
 * changes which bucket policy statements count, so the bucket policy layer applies it.)
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import { bucketMismatch, bucketOf } from './bucketOf';
import { effectivePublicAccessBlock } from './effectivePublicAccessBlock';
import { allowed, notApplicable, notVisible, settingBlocked, unseenReason } from './outcomes';
import type { LayerCheck } from './types';

const PUBLIC_CANNED_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read']);
const PUBLIC_GRANTEE = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/i;

export function publicAclHeader(headers: Record<string, string>): string | null {
  const canned = headers['x-amz-acl'];
  if (canned && PUBLIC_CANNED_ACLS.has(canned)) return `x-amz-acl: ${canned}`;
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-grant-') && PUBLIC_GRANTEE.test(value)) return `${name}: ${value}`;
  }
  return null;
}

export const blockPublicAccess: LayerCheck = (input) => {
  const { action } = input.authorization;
  if (action !== 's3:PutObject') return notApplicable('block-public-access', input, 'checked once, on s3:PutObject');
  const bucket = bucketOf(input);
  if (!bucket) return notVisible('block-public-access', input, bucketMismatch(input));
  const reason = unseenReason(input, 'block-public-access');
  if (reason) return notVisible('block-public-access', input, reason);
  const settings = effectivePublicAccessBlock(bucket);
  const publicAcl = publicAclHeader(input.request.headers);
  if (publicAcl && settings.blockPublicAcls) {
    return settingBlocked(
      'block-public-access',
      input,
      `The upload asks for a public ACL (${publicAcl}) and Block Public Access (BlockPublicAcls) on bucket ${bucket.name} refuses public ACLs.`,
    );
  }
  return allowed('block-public-access', input, publicAcl ? 'public ACLs are not blocked' : 'the request carries no public ACL');
};
