/**
 * The bucket's own access settings, each rule from the S3 guide:
 * - a bucket ACL grant of WRITE (or FULL_CONTROL) lets its grantee put objects; AllUsers is anyone and
 *   AuthenticatedUsers any AWS account; IgnorePublicAcls (the bucket's or the account's: the most restrictive
 *   combination applies) discards public grants; with Object Ownership BucketOwnerEnforced ACLs are disabled.
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
 * - BucketOwnerEnforced refuses an upload that sets any ACL but bucket-owner-full-control (or its equivalent
 *   full-control grant to the owner). https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
 * - BlockPublicAcls refuses an upload carrying a public ACL; RestrictPublicBuckets, on a bucket whose policy is
 *   public, refuses requests from other accounts.
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import { diagnose, parseEvent } from '../../lambda';
import type { AclGrant, BucketSnapshot, PublicAccessBlock } from '../../lambda/model/snapshot';
import { BUCKET, OTHER_ACCOUNT, partnerUpload, policy, roleIdentity, s3Record, snapshot, TLS_ONLY } from '../factories';

const OWNER = 'c0ffee0000000000000000000000000000000000000000000000000000000000';
const STRANGER = 'beef000000000000000000000000000000000000000000000000000000000000';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const OPEN: PublicAccessBlock = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };

const ownerFull: AclGrant = { grantee: { type: 'CanonicalUser', id: OWNER }, permission: 'FULL_CONTROL' };
const group = (uri: string, permission: string): AclGrant => ({ grantee: { type: 'Group', uri }, permission });
const canonical = (id: string, permission: string): AclGrant => ({ grantee: { type: 'CanonicalUser', id }, permission });

/** The result of one layer for the upload, with the verdict, for a caller of this account or of the partner's. */
function layerOf(layer: string, bucket: Partial<BucketSnapshot>, options: { partner?: boolean; headers?: Record<string, string> } = {}) {
  const partner = partnerUpload();
  const record = options.partner
    ? s3Record({ userIdentity: roleIdentity(OTHER_ACCOUNT, 'PartnerDelivery', 'deliver-7') }, options.headers ?? {})
    : s3Record({}, options.headers ?? {});
  const account = options.partner
    ? { ...partner.account, bucket: { ...partner.account.bucket, ...bucket } }
    : snapshot({}, { policy: policy(TLS_ONLY), ...bucket });
  const diagnosis = diagnose(parseEvent(record).requests[0]!, account);
  const results = diagnosis.layers.filter((l) => l.layer === layer && l.action === 's3:PutObject').map((l) => l.result);
  return { result: results.join(','), verdict: diagnosis.verdict };
}

describe('a bucket ACL, for an uploader in another account', () => {
  const acl = (grants: AclGrant[], more: Partial<BucketSnapshot> = {}): Partial<BucketSnapshot> => ({
    objectOwnership: 'ObjectWriter',
    publicAccessBlock: OPEN,
    acl: { grants },
    ...more,
  });
  it.each<[string, Partial<BucketSnapshot>, string, string]>([
    ['the owner alone: no grant', acl([ownerFull]), 'implicit-deny', 'implicit-deny'],
    ['WRITE to AllUsers: anyone may put', acl([ownerFull, group(ALL_USERS, 'WRITE')]), 'allow', 'not-reproduced'],
    [
      'FULL_CONTROL to AuthenticatedUsers: any account may put',
      acl([ownerFull, group(AUTHENTICATED, 'FULL_CONTROL')]),
      'allow',
      'not-reproduced',
    ],
    ['READ to AllUsers: no write', acl([ownerFull, group(ALL_USERS, 'READ')]), 'implicit-deny', 'implicit-deny'],
    ['WRITE_ACP to AllUsers: no write of objects', acl([ownerFull, group(ALL_USERS, 'WRITE_ACP')]), 'implicit-deny', 'implicit-deny'],
    [
      'WRITE to AllUsers, ignored by the bucket’s IgnorePublicAcls',
      acl([group(ALL_USERS, 'WRITE')], { publicAccessBlock: { ...OPEN, ignorePublicAcls: true } }),
      'implicit-deny',
      'implicit-deny',
    ],
    [
      'WRITE to AllUsers, ignored by the account’s IgnorePublicAcls though the bucket’s is off',
      acl([group(ALL_USERS, 'WRITE')], { accountPublicAccessBlock: { ignorePublicAcls: true } }),
      'implicit-deny',
      'implicit-deny',
    ],
    [
      'WRITE to AllUsers with ACLs disabled (BucketOwnerEnforced)',
      acl([group(ALL_USERS, 'WRITE')], { objectOwnership: 'BucketOwnerEnforced' }),
      'not-applicable',
      'implicit-deny',
    ],
    // An unseen grant could be the one that allows: the denial is then not reproduced, and the diagnosis says why.
    [
      'WRITE to another canonical user: which account is unknown',
      acl([ownerFull, canonical(STRANGER, 'WRITE')]),
      'not-visible',
      'not-reproduced',
    ],
    ['FULL_CONTROL to the owner’s canonical id only', acl([canonical(OWNER, 'FULL_CONTROL')]), 'implicit-deny', 'implicit-deny'],
    ['an ACL that was not captured', { objectOwnership: 'ObjectWriter', acl: null }, 'not-visible', 'not-reproduced'],
  ])('%s', (_name, bucket, result, verdict) => {
    expect(layerOf('bucket-acl', bucket, { partner: true })).toEqual({ result, verdict });
  });

  it('is not consulted for an uploader of the bucket’s own account whose identity policy allows the upload', () => {
    expect(layerOf('bucket-acl', acl([ownerFull, canonical(STRANGER, 'WRITE')]))).toEqual({
      result: 'not-applicable',
      verdict: 'not-reproduced',
    });
  });
});

describe('Object Ownership BucketOwnerEnforced: ACLs disabled', () => {
  it.each<[string, Partial<BucketSnapshot>, Record<string, string>, string]>([
    ['no ACL header', {}, {}, 'allow'],
    ['x-amz-acl: bucket-owner-full-control', {}, { 'x-amz-acl': 'bucket-owner-full-control' }, 'allow'],
    ['x-amz-acl: private', {}, { 'x-amz-acl': 'private' }, 'setting-blocked'],
    ['x-amz-acl: public-read', {}, { 'x-amz-acl': 'public-read' }, 'setting-blocked'],
    ['full control granted to the owner', {}, { 'x-amz-grant-full-control': `id=${OWNER}` }, 'allow'],
    ['full control granted to someone else', {}, { 'x-amz-grant-full-control': `id=${STRANGER}` }, 'setting-blocked'],
    [
      'read granted to the owner: not the equivalent of bucket-owner-full-control',
      {},
      { 'x-amz-grant-read': `id=${OWNER}` },
      'setting-blocked',
    ],
    ['ObjectWriter accepts any ACL', { objectOwnership: 'ObjectWriter' }, { 'x-amz-acl': 'private' }, 'allow'],
    [
      'BucketOwnerPreferred accepts any ACL',
      { objectOwnership: 'BucketOwnerPreferred' },
      { 'x-amz-grant-read': `id=${STRANGER}` },
      'allow',
    ],
  ])('%s', (_name, bucket, headers, result) => {
    expect(layerOf('object-ownership', { publicAccessBlock: OPEN, ...bucket }, { headers }).result).toBe(result);
  });

  it('names the refused header and decides the verdict as a setting', () => {
    const account = snapshot({}, { publicAccessBlock: OPEN });
    const diagnosis = diagnose(parseEvent(s3Record({}, { 'x-amz-acl': 'public-read' })).requests[0]!, account);
    expect(diagnosis.verdict).toBe('setting-blocked');
    expect(diagnosis.decidingLayers[0]).toMatchObject({
      layer: 'object-ownership',
      explanation: expect.stringContaining('x-amz-acl: public-read'),
    });
  });
});

describe('Block Public Access', () => {
  const objectWriter = (block: Partial<BucketSnapshot>): Partial<BucketSnapshot> => ({ objectOwnership: 'ObjectWriter', ...block });
  it.each<[string, Partial<BucketSnapshot>, Record<string, string>, string]>([
    [
      'BlockPublicAcls and a public canned ACL',
      objectWriter({ publicAccessBlock: { ...OPEN, blockPublicAcls: true } }),
      { 'x-amz-acl': 'public-read' },
      'setting-blocked',
    ],
    [
      'BlockPublicAcls and public-read-write',
      objectWriter({ publicAccessBlock: { ...OPEN, blockPublicAcls: true } }),
      { 'x-amz-acl': 'public-read-write' },
      'setting-blocked',
    ],
    [
      'BlockPublicAcls and authenticated-read',
      objectWriter({ publicAccessBlock: { ...OPEN, blockPublicAcls: true } }),
      { 'x-amz-acl': 'authenticated-read' },
      'setting-blocked',
    ],
    [
      'BlockPublicAcls on the account only',
      objectWriter({ publicAccessBlock: OPEN, accountPublicAccessBlock: { blockPublicAcls: true } }),
      { 'x-amz-acl': 'public-read' },
      'setting-blocked',
    ],
    [
      'BlockPublicAcls and a private ACL',
      objectWriter({ publicAccessBlock: { ...OPEN, blockPublicAcls: true } }),
      { 'x-amz-acl': 'private' },
      'allow',
    ],
    [
      'BlockPublicAcls and a grant to AllUsers',
      objectWriter({ publicAccessBlock: { ...OPEN, blockPublicAcls: true } }),
      { 'x-amz-grant-read': `uri="${ALL_USERS}"` },
      'setting-blocked',
    ],
    [
      'BlockPublicAcls and a grant to a canonical user',
      objectWriter({ publicAccessBlock: { ...OPEN, blockPublicAcls: true } }),
      { 'x-amz-grant-read': `id=${STRANGER}` },
      'allow',
    ],
    [
      'a public ACL with BlockPublicAcls off',
      objectWriter({ publicAccessBlock: { ...OPEN, ignorePublicAcls: true } }),
      { 'x-amz-acl': 'public-read' },
      'allow',
    ],
  ])('%s', (_name, bucket, headers, result) => {
    expect(layerOf('block-public-access', bucket, { headers }).result).toBe(result);
  });

  const publicPolicy = policy(TLS_ONLY, {
    Sid: 'Anyone',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${BUCKET}/*`,
  });
  const namedPolicy = policy(TLS_ONLY, {
    Sid: 'Partner',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${BUCKET}/*`,
  });
  it.each<[string, Partial<BucketSnapshot>, boolean, string]>([
    [
      'RestrictPublicBuckets, a public policy, a caller from another account',
      { policy: publicPolicy, publicAccessBlock: { ...OPEN, restrictPublicBuckets: true } },
      true,
      'setting-blocked',
    ],
    [
      'RestrictPublicBuckets on the account, a public policy, another account',
      { policy: publicPolicy, publicAccessBlock: OPEN, accountPublicAccessBlock: { restrictPublicBuckets: true } },
      true,
      'setting-blocked',
    ],
    [
      'RestrictPublicBuckets, a public policy, a caller of the bucket’s account',
      { policy: publicPolicy, publicAccessBlock: { ...OPEN, restrictPublicBuckets: true } },
      false,
      'allow',
    ],
    [
      'RestrictPublicBuckets, a policy naming the partner only',
      { policy: namedPolicy, publicAccessBlock: { ...OPEN, restrictPublicBuckets: true } },
      true,
      'allow',
    ],
    ['a public policy without RestrictPublicBuckets', { policy: publicPolicy, publicAccessBlock: OPEN }, true, 'allow'],
  ])('%s', (_name, bucket, partner, result) => {
    expect(layerOf('block-public-access', bucket, { partner }).result).toBe(result);
  });
});
