/**
 * A bucket ACL grant of WRITE lets another account put objects, unless ACLs are disabled
 * (Object Ownership BucketOwnerEnforced) or IgnorePublicAcls discards a public grant.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
 */
import { bucketMismatch, bucketOf } from './bucketOf';
import { effectivePublicAccessBlock } from './effectivePublicAccessBlock';
import { allowed, noGrant, notApplicable, notVisible, unseenReason } from './outcomes';
import type { LayerCheck } from './types';
import { ACL_WRITES, isPublicGroup } from '../model/publicAclGroups';

export const bucketAcl: LayerCheck = (input) => {
  if (input.authorization.action !== 's3:PutObject') return notApplicable('bucket-acl', input, 'only a bucket WRITE grant matters');
  const bucket = bucketOf(input);
  if (!bucket) return notVisible('bucket-acl', input, bucketMismatch(input));
  if (bucket.objectOwnership === 'BucketOwnerEnforced') {
    return notApplicable('bucket-acl', input, 'ACLs are disabled (Object Ownership: BucketOwnerEnforced)');
  }
  const reason = unseenReason(input, 'bucket-acl');
  if (reason || !bucket.acl) return notVisible('bucket-acl', input, reason ?? 'the bucket ACL was not captured');
  const ignorePublic = effectivePublicAccessBlock(bucket).ignorePublicAcls;
  const writeGrants = (bucket.acl.grants ?? []).filter((g) => ACL_WRITES.has(g.permission));
  for (const grant of writeGrants) {
    const uri = grant.grantee.uri;
    if (isPublicGroup(uri) && ignorePublic === 'unknown') {
      return notVisible(
        'bucket-acl',
        input,
        `the bucket ACL grants ${grant.permission} to everyone, and whether Block Public Access ignores it was not read`,
      );
    }
    if (isPublicGroup(uri) && !ignorePublic) {
      return allowed('bucket-acl', input, `the bucket ACL grants ${grant.permission} to ${uri.split('/').pop()}`, 'everyone');
    }
  }
  const owner = bucket.ownerCanonicalId;
  const others = writeGrants.filter((g) => g.grantee.type === 'CanonicalUser' && g.grantee.id !== owner);
  if (others.length > 0 && input.request.caller.accountId !== bucket.accountId) {
    return notVisible(
      'bucket-acl',
      input,
      `the ACL grants WRITE to ${others.length} other canonical user(s); which account each is cannot be told from the snapshot`,
    );
  }
  return noGrant('bucket-acl', input, 'the bucket ACL grants WRITE to no one but the owner');
};
