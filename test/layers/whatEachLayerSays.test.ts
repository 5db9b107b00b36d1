/**
 * The trace line each layer writes, for the cases a person reads it in: which endpoint, bucket, key, grant or
 * organization it looked at, and why it did or did not take part. These lines are the diagnosis's evidence.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
 */
import { diagnose, parseEvent, type Statement } from '../../lambda';
import type { AccountSnapshot, KmsGrant, VpcEndpointSnapshot } from '../../lambda/model/snapshot';
import { ACCOUNT, ALLOW_PUT, BUCKET, KMS_KEY_ARN, partnerUpload, policy, ROLE_ARN, s3Record, snapshot } from '../factories';

type Json = Record<string, unknown>;
const ENDPOINT = 'vpce-0a1b2c3d4e5f60718';
const READS: Statement = { Sid: 'Reads', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' };
const TO_ACCOUNT: Statement = { ...ALLOW_PUT, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } };
const endpoint = (document: ReturnType<typeof policy> | null): VpcEndpointSnapshot[] => [
  { id: ENDPOINT, serviceName: 'com.amazonaws.us-west-2.s3', type: 'Gateway', policy: document },
];
const sseKms = { defaultEncryption: { sseAlgorithm: 'aws:kms' as const, kmsMasterKeyId: KMS_KEY_ARN, bucketKeyEnabled: false } };
const keyWith = (grants: KmsGrant[]): Partial<AccountSnapshot> => ({
  kmsKeys: [{ arn: KMS_KEY_ARN, accountId: ACCOUNT, aliases: [], keyManager: 'CUSTOMER', keyState: 'Enabled', policy: policy(), grants }],
});
const organization = (rcpLevels: unknown[] | undefined) =>
  ({ organization: { id: 'o-exampleorgid', accountId: ACCOUNT, scpLevels: [], ...(rcpLevels ? { rcpLevels } : {}) } }) as never;
const viaEndpoint = s3Record({ vpcEndpointId: ENDPOINT });
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const OWNER = 'c0ffee0000000000000000000000000000000000000000000000000000000000';
const partner = partnerUpload();
const withBucket = (bucket: Partial<AccountSnapshot['bucket']>): AccountSnapshot => ({
  ...partner.account,
  bucket: { ...partner.account.bucket, ...bucket },
});
const OPEN = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };

function traceLine(record: Json, account: AccountSnapshot, layer: string, action: string) {
  const line = diagnose(parseEvent(record).requests[0]!, account).layers.find((l) => l.layer === layer && l.action === action);
  return line && `${line.result}: ${line.detail}`;
}

describe('the line each layer writes in the trace', () => {
  it.each<[string, Json, AccountSnapshot, string, string, string]>([
    // A VPC endpoint policy
    [
      'no endpoint',
      s3Record(),
      snapshot(),
      'vpc-endpoint-policy',
      's3:PutObject',
      'not-applicable: the request did not come through a VPC endpoint',
    ],
    [
      'an endpoint the snapshot lacks',
      viaEndpoint,
      snapshot(),
      'vpc-endpoint-policy',
      's3:PutObject',
      `not-visible: endpoint ${ENDPOINT} is not in the snapshot`,
    ],
    [
      'an endpoint without a policy',
      viaEndpoint,
      snapshot({ vpcEndpoints: endpoint(null) }),
      'vpc-endpoint-policy',
      's3:PutObject',
      `allow: ${ENDPOINT} has the default full-access policy`,
    ],
    [
      'an endpoint policy for reads',
      viaEndpoint,
      snapshot({ vpcEndpoints: endpoint(policy(READS)) }),
      'vpc-endpoint-policy',
      's3:PutObject',
      `implicit-deny: no statement in the policy of VPC endpoint ${ENDPOINT} allows it`,
    ],
    [
      'an endpoint policy the collectors could not read',
      viaEndpoint,
      snapshot({
        vpcEndpoints: endpoint(null),
        unseen: [{ layer: 'vpc-endpoint-policy', reason: 'ec2:DescribeVpcEndpoints was throttled' }],
      }),
      'vpc-endpoint-policy',
      's3:PutObject',
      'not-visible: ec2:DescribeVpcEndpoints was throttled',
    ],
    [
      'S3’s own call to KMS',
      viaEndpoint,
      snapshot({ vpcEndpoints: endpoint(policy(READS)), ...keyWith([]) }, sseKms),
      'vpc-endpoint-policy',
      'kms:GenerateDataKey',
      'not-applicable: S3 calls KMS itself, not through the endpoint',
    ],
    // The bucket policy
    [
      'no bucket policy',
      s3Record(),
      snapshot(),
      'bucket-policy',
      's3:PutObject',
      `not-applicable: bucket ${BUCKET} has no bucket policy (not needed in the owner's account)`,
    ],
    [
      'a bucket policy for reads',
      s3Record(),
      snapshot({}, { policy: policy(READS) }),
      'bucket-policy',
      's3:PutObject',
      `not-applicable: no statement in the bucket policy of ${BUCKET} allows it (not needed in the owner's account)`,
    ],
    [
      'a bucket policy grant',
      s3Record(),
      snapshot({}, { policy: policy(TO_ACCOUNT) }),
      'bucket-policy',
      's3:PutObject',
      `allow: allowed by statement "Ingest" in the bucket policy of ${BUCKET}`,
    ],
    [
      'a bucket policy grant whose condition failed',
      s3Record(),
      snapshot({}, { policy: policy({ ...TO_ACCOUNT, Condition: { StringEquals: { 's3:x-amz-acl': 'private' } } }) }),
      'bucket-policy',
      's3:PutObject',
      `not-applicable: no Allow matched; statement "Ingest" in the bucket policy of ${BUCKET} failed its conditions (not needed in the owner's account)`,
    ],
    [
      'a bucket policy for another prefix',
      s3Record(),
      snapshot({}, { policy: policy({ ...TO_ACCOUNT, Resource: `arn:aws:s3:::${BUCKET}/outgoing/*` }) }),
      'bucket-policy',
      's3:PutObject',
      `not-applicable: no Allow matched; statement "Ingest" in the bucket policy of ${BUCKET} names s3:PutObject but other resources (not needed in the owner's account)`,
    ],
    [
      // An upload to another bucket than the snapshot's is refused whole (snapshotMismatch); a copy's source
      // in another bucket is read with what the snapshot does not hold.
      'a copy source in another bucket than the snapshot’s',
      s3Record({ eventName: 'CopyObject' }, { 'x-amz-copy-source': 'another-bucket/incoming/2026/clip-0042.mp4' }),
      snapshot(),
      'bucket-policy',
      's3:GetObject',
      `not-visible: the snapshot describes bucket ${BUCKET}, not the one in arn:aws:s3:::another-bucket/incoming/2026/clip-0042.mp4`,
    ],
    // Resource control policies
    [
      'an account outside any organization',
      s3Record(),
      snapshot(),
      'rcp',
      's3:PutObject',
      'not-applicable: the account is not in an organization',
    ],
    ['an organization without RCPs', s3Record(), snapshot(organization([])), 'rcp', 's3:PutObject', 'not-applicable: no RCPs are attached'],
    [
      'an organization whose RCPs the snapshot does not list',
      s3Record(),
      snapshot(organization(undefined)),
      'rcp',
      's3:PutObject',
      'not-applicable: no RCPs are attached',
    ],
    // Object Ownership, Block Public Access and the bucket ACL
    [
      'ACLs accepted',
      s3Record(),
      snapshot({}, { objectOwnership: 'ObjectWriter', publicAccessBlock: OPEN, acl: { grants: [] } }),
      'object-ownership',
      's3:PutObject',
      'allow: Object Ownership is ObjectWriter: ACLs are accepted',
    ],
    [
      'Object Ownership never set',
      s3Record(),
      snapshot({}, { objectOwnership: undefined, publicAccessBlock: OPEN, acl: { grants: [] } }),
      'object-ownership',
      's3:PutObject',
      'allow: Object Ownership is ObjectWriter: ACLs are accepted',
    ],
    [
      'ACLs disabled, none sent',
      s3Record(),
      snapshot(),
      'object-ownership',
      's3:PutObject',
      'allow: ACLs are disabled and the upload sets none',
    ],
    [
      'the ACL call that goes with a grant to another account',
      s3Record({}, { 'x-amz-grant-read': 'id="partner-canonical-id"' }),
      snapshot(),
      'object-ownership',
      's3:PutObjectAcl',
      'not-applicable: checked once, on s3:PutObject',
    ],
    [
      'a public grant header, not blocked',
      s3Record({}, { 'x-amz-grant-read': `uri=${ALL_USERS}` }),
      snapshot({}, { objectOwnership: 'ObjectWriter', publicAccessBlock: OPEN, acl: { grants: [] } }),
      'block-public-access',
      's3:PutObject',
      'allow: public ACLs are not blocked',
    ],
    [
      'a public grant header, blocked',
      s3Record({}, { 'x-amz-grant-read': `uri=${ALL_USERS}` }),
      snapshot({}, { objectOwnership: 'ObjectWriter', acl: { grants: [] } }),
      'block-public-access',
      's3:PutObject',
      `setting-blocked: The upload asks for a public ACL (x-amz-grant-read: uri=${ALL_USERS}) and Block Public Access (BlockPublicAcls) on bucket ${BUCKET} refuses public ACLs.`,
    ],
    [
      'the ACL call, for Block Public Access',
      s3Record({}, { 'x-amz-grant-read': 'id="partner-canonical-id"' }),
      snapshot(),
      'block-public-access',
      's3:PutObjectAcl',
      'not-applicable: checked once, on s3:PutObject',
    ],
    [
      'ACLs disabled, for the bucket ACL',
      s3Record(),
      snapshot(),
      'bucket-acl',
      's3:PutObject',
      'not-applicable: ACLs are disabled (Object Ownership: BucketOwnerEnforced)',
    ],
    [
      'an ACL not captured',
      s3Record(),
      snapshot({}, { objectOwnership: 'ObjectWriter', acl: null }),
      'bucket-acl',
      's3:PutObject',
      'not-visible: the bucket ACL was not captured',
    ],
    [
      'an ACL the collectors could not read',
      s3Record(),
      snapshot(
        { unseen: [{ layer: 'bucket-acl', reason: 's3:GetBucketAcl was denied' }] },
        { objectOwnership: 'ObjectWriter', acl: { grants: [] } },
      ),
      'bucket-acl',
      's3:PutObject',
      'not-visible: s3:GetBucketAcl was denied',
    ],
    [
      'WRITE to AllUsers',
      s3Record(),
      snapshot(
        {},
        {
          objectOwnership: 'ObjectWriter',
          publicAccessBlock: OPEN,
          acl: { grants: [{ grantee: { type: 'Group', uri: ALL_USERS }, permission: 'WRITE' }] },
        },
      ),
      'bucket-acl',
      's3:PutObject',
      'allow: the bucket ACL grants WRITE to AllUsers',
    ],
    [
      'the ACL call, for the bucket ACL',
      s3Record({}, { 'x-amz-grant-read': 'id="partner-canonical-id"' }),
      snapshot({}, { objectOwnership: 'ObjectWriter', acl: { grants: [] } }),
      'bucket-acl',
      's3:PutObjectAcl',
      'not-applicable: only a bucket WRITE grant matters',
    ],
    [
      'WRITE to the owner alone, for a partner',
      partner.record,
      withBucket({
        objectOwnership: 'ObjectWriter',
        publicAccessBlock: OPEN,
        acl: { grants: [{ grantee: { type: 'CanonicalUser', id: OWNER }, permission: 'FULL_CONTROL' }] },
      }),
      'bucket-acl',
      's3:PutObject',
      'implicit-deny: the bucket ACL grants WRITE to no one but the owner',
    ],
    [
      'WRITE to other canonical users, for a partner',
      partner.record,
      withBucket({
        objectOwnership: 'ObjectWriter',
        publicAccessBlock: OPEN,
        acl: {
          grants: [
            { grantee: { type: 'CanonicalUser', id: 'beef' }, permission: 'WRITE' },
            { grantee: { type: 'CanonicalUser', id: 'f00d' }, permission: 'FULL_CONTROL' },
          ],
        },
      }),
      'bucket-acl',
      's3:PutObject',
      'not-visible: the ACL grants WRITE to 2 other canonical user(s); which account each is cannot be told from the snapshot',
    ],
    [
      'a public bucket policy with a Sid, for a partner',
      partner.record,
      withBucket({ policy: policy({ ...ALLOW_PUT, Principal: '*' }) }),
      'block-public-access',
      's3:PutObject',
      `setting-blocked: The bucket policy of ${BUCKET} is public (statement "Ingest" allows everyone), and Block Public Access (RestrictPublicBuckets) then refuses every request from another account, even one the policy names.`,
    ],
    [
      'a public bucket policy without one, for a partner',
      partner.record,
      withBucket({ policy: policy({ Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: '*' }) }),
      'block-public-access',
      's3:PutObject',
      `setting-blocked: The bucket policy of ${BUCKET} is public (a statement allows everyone), and Block Public Access (RestrictPublicBuckets) then refuses every request from another account, even one the policy names.`,
    ],
    // KMS grants
    [
      'a grant with an id',
      s3Record(),
      snapshot(keyWith([{ grantId: 'g-42', granteePrincipal: ROLE_ARN, operations: ['GenerateDataKey'] }]), sseKms),
      'kms-grant',
      'kms:GenerateDataKey',
      'allow: grant g-42 allows GenerateDataKey',
    ],
    [
      'a grant without one',
      s3Record(),
      snapshot(keyWith([{ granteePrincipal: ROLE_ARN, operations: ['GenerateDataKey'] }]), sseKms),
      'kms-grant',
      'kms:GenerateDataKey',
      'allow: grant allows GenerateDataKey',
    ],
    [
      'no grant for the caller',
      s3Record(),
      snapshot(keyWith([{ grantId: 'g-1', operations: ['GenerateDataKey'] }]), sseKms),
      'kms-grant',
      'kms:GenerateDataKey',
      'not-applicable: no grant on the key gives the caller GenerateDataKey (optional: the key policy can allow instead)',
    ],
    [
      'grants the collectors could not list',
      s3Record(),
      snapshot({ ...keyWith([]), unseen: [{ layer: 'kms-grant', reason: 'kms:ListGrants was denied' }] }, sseKms),
      'kms-grant',
      'kms:GenerateDataKey',
      'not-visible: kms:ListGrants was denied',
    ],
  ])('%s', (_name, record, account, layer, action, line) => {
    expect(traceLine(record, account, layer, action)).toBe(line);
  });
});

describe('which layers take part in which call', () => {
  const layersOf = (action: string) => {
    const diagnosis = diagnose(parseEvent(s3Record()).requests[0]!, snapshot(keyWith([]), sseKms));
    return diagnosis.layers.filter((l) => l.action === action).map((l) => l.layer);
  };

  it('runs the bucket’s layers for the upload, and no KMS layer', () => {
    expect(layersOf('s3:PutObject')).toEqual([
      'object-ownership',
      'block-public-access',
      'scp',
      'rcp',
      'vpc-endpoint-policy',
      'bucket-policy',
      'bucket-acl',
      'identity-policy',
      'permissions-boundary',
      'session-policy',
    ]);
  });

  it('runs the key’s layers for S3’s call to KMS, and none of the bucket’s', () => {
    expect(layersOf('kms:GenerateDataKey')).toEqual([
      'scp',
      'rcp',
      'vpc-endpoint-policy',
      'kms-key-state',
      'kms-key-policy',
      'kms-grant',
      'identity-policy',
      'permissions-boundary',
      'session-policy',
    ]);
  });
});
