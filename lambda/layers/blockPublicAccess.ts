/**
 * S3 Block Public Access: BlockPublicAcls refuses a PUT that carries a public ACL; RestrictPublicBuckets,
 * on a bucket whose policy is public, refuses every cross-account request but an AWS service principal's,
 * named grants to the caller included.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import { principalKindOf } from '../events/principalKind';
import { statementsOf } from '../policy/evaluatePolicy';
import type { PolicyDocument, Statement } from '../policy/types';
import { effectivePublicAccessBlock } from './effectivePublicAccessBlock';
import { isPublicAllow } from './publicStatement';
import { allowed, notApplicable, notVisible, settingBlocked } from './outcomes';
import type { LayerCheck } from './types';
import { isOutcome, visibleBucket } from './visibleBucket';

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
  const bucket = visibleBucket('block-public-access', input);
  if (isOutcome(bucket)) return bucket;
  const settings = effectivePublicAccessBlock(bucket);
  const publicAcl = publicAclHeader(input.request.headers);
  if (publicAcl && settings.blockPublicAcls === true) {
    return settingBlocked(
      'block-public-access',
      input,
      `The upload asks for a public ACL (${publicAcl}) and Block Public Access (BlockPublicAcls) on bucket ${bucket.name} refuses public ACLs.`,
    );
  }
  if (publicAcl && settings.blockPublicAcls === 'unknown') {
    return notVisible(
      'block-public-access',
      input,
      `the upload asks for a public ACL (${publicAcl}), and Block Public Access was not read`,
    );
  }
  const publicStatement = settings.restrictPublicBuckets !== false ? publicPolicyStatement(bucket.policy ?? null) : null;
  const crossAccount = input.request.caller.accountId !== bucket.accountId;
  if (publicStatement && crossAccount && principalKindOf(input.request.caller) !== 'service') {
    const named = publicStatement.Sid ? `statement "${publicStatement.Sid}"` : 'a statement';
    if (settings.restrictPublicBuckets === 'unknown') {
      return notVisible('block-public-access', input, `the bucket policy is public (${named}), and Block Public Access was not read`);
    }
    return settingBlocked(
      'block-public-access',
      input,
      `The bucket policy of ${bucket.name} is public (${named} allows everyone), and Block Public Access (RestrictPublicBuckets) then refuses every request from another account, even one the policy names.`,
    );
  }
  return allowed('block-public-access', input, publicAcl ? 'public ACLs are not blocked' : 'the request carries no public ACL');
};

function publicPolicyStatement(policy: PolicyDocument | null): Statement | null {
  return policy ? (statementsOf(policy).find(isPublicAllow) ?? null) : null;
}
