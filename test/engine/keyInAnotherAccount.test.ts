/**
 * An SSE-KMS key kept in another account of the organization (a central security account's, say): the KMS
 * call S3 makes is bound by the RCPs above the key's account, not the bucket's, and carries the key account's
 * aws:ResourceOrgID and path. The snapshot's `organization.rcpLevels` are the bucket's; the key carries its own.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgpaths
 */
import { diagnose, parseEvent, type Statement } from '../../lambda';
import type { AccountSnapshot, OrgLevel } from '../../lambda/model/snapshot';
import { ACCOUNT, ALLOW_PUT, policy, s3Record, snapshot } from '../factories';

const ORGANIZATION = 'o-exampleorg1';
const SECURITY_ACCOUNT = '444455556666';
const KEY_ARN = `arn:aws:kms:us-west-2:${SECURITY_ACCOUNT}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
const RCP_FULL: Statement = { Sid: 'RCPFullAWSAccess', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };
const KEYS_FROM_OUR_BUCKETS_ONLY: Statement = {
  Sid: 'KeysForOurBucketsOnly',
  Effect: 'Deny',
  Principal: '*',
  Action: 'kms:GenerateDataKey',
  Resource: '*',
  Condition: { StringNotLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::approved-*' } },
};
const level = (target: string, ...extra: Statement[]): OrgLevel => ({
  target,
  policies: [{ id: 'p-RCPFullAWSAccess', name: 'RCPFullAWSAccess', document: policy(RCP_FULL, ...extra) }],
});
/** The bucket's account sits under Workloads; the key's under Security, whose RCP limits what the keys encrypt. */
const BUCKET_LEVELS = [level('r-ab12 (Root)'), level('ou-ab12-11111111 (Workloads)'), level(`${ACCOUNT} (account)`)];
const KEY_LEVELS = [
  level('r-ab12 (Root)'),
  level('ou-ab12-22222222 (Security)', KEYS_FROM_OUR_BUCKETS_ONLY),
  level(`${SECURITY_ACCOUNT} (account)`),
];

const KEY_USERS: Statement = {
  Sid: 'Uploads',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:GenerateDataKey',
  Resource: '*',
};
const ALLOW_KEY: Statement = { Sid: 'Key', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: KEY_ARN };

function keptInSecurityAccount(keyLevels: OrgLevel[] | undefined, members = [ACCOUNT, SECURITY_ACCOUNT]): AccountSnapshot {
  const account = snapshot(
    {
      organization: { id: ORGANIZATION, memberAccountIds: members, scpLevels: [], rcpLevels: BUCKET_LEVELS },
      kmsKeys: [
        {
          arn: KEY_ARN,
          accountId: SECURITY_ACCOUNT,
          keyManager: 'CUSTOMER',
          keyState: 'Enabled',
          policy: policy(KEY_USERS),
          grants: [],
          ...(keyLevels ? { rcpLevels: keyLevels } : {}),
        },
      ],
    },
    { defaultEncryption: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: KEY_ARN, bucketKeyEnabled: false } },
  );
  return {
    ...account,
    principal: { ...account.principal, policies: [{ source: 'inline', name: 'uploads', document: policy(ALLOW_PUT, ALLOW_KEY) }] },
  };
}

const upload = parseEvent(s3Record()).requests[0]!;
const rcpOn = (diagnosis: ReturnType<typeof diagnose>, action: string) =>
  diagnosis.layers.find((l) => l.layer === 'rcp' && l.action === action);

describe('an SSE-KMS key kept in another account of the organization', () => {
  it('is bound by the RCPs above its own account: the Security OU’s Deny decides the KMS call', () => {
    const diagnosis = diagnose(upload, keptInSecurityAccount(KEY_LEVELS));
    expect(rcpOn(diagnosis, 's3:PutObject')?.result).toBe('allow');
    expect(diagnosis.decidingLayers[0]).toMatchObject({
      layer: 'rcp',
      action: 'kms:GenerateDataKey',
      decision: 'explicit-deny',
      statement: { sid: 'KeysForOurBucketsOnly' },
      policy: { account: 'ou-ab12-22222222 (Security)' },
    });
  });

  it('carries the key account’s organization and path on the KMS call, the bucket’s on the upload', () => {
    const securityKeysOnly: Statement = {
      ...ALLOW_KEY,
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:ResourceOrgID': ORGANIZATION },
        'ForAnyValue:StringLike': { 'aws:ResourceOrgPaths': `${ORGANIZATION}/r-ab12/ou-ab12-22222222/*` },
      },
    };
    const account = keptInSecurityAccount([
      level('r-ab12 (Root)'),
      level('ou-ab12-22222222 (Security)'),
      level(`${SECURITY_ACCOUNT} (account)`),
    ]);
    const diagnosis = diagnose(upload, {
      ...account,
      principal: { ...account.principal, policies: [{ source: 'inline', name: 'uploads', document: policy(ALLOW_PUT, securityKeysOnly) }] },
    });
    expect(diagnosis.request.context['aws:ResourceOrgPaths']).toEqual([`${ORGANIZATION}/r-ab12/ou-ab12-11111111/`]);
    expect(diagnosis.layers.find((l) => l.layer === 'identity-policy' && l.action === 'kms:GenerateDataKey')?.result).toBe('allow');
  });

  it('whose RCPs were not read is not judged by the bucket account’s, nor said to be outside the organization', () => {
    const bucketDenies = keptInSecurityAccount(undefined, [ACCOUNT]);
    const organization = bucketDenies.organization!;
    const denyingBucketLevels = [
      level('r-ab12 (Root)'),
      level('ou-ab12-11111111 (Workloads)', { ...KEYS_FROM_OUR_BUCKETS_ONLY, Sid: 'BucketSideOnly' }),
      level(`${ACCOUNT} (account)`),
    ];
    const account = { ...bucketDenies, organization: { ...organization, rcpLevels: denyingBucketLevels } };
    const diagnosis = diagnose(upload, account);
    expect(rcpOn(diagnosis, 'kms:GenerateDataKey')).toMatchObject({
      result: 'not-visible',
      detail: `the RCPs above account ${SECURITY_ACCOUNT}, which owns ${KEY_ARN}, were not read`,
    });
    expect(diagnosis.decidingLayers.map((d) => d.statement?.sid)).not.toContain('BucketSideOnly');
  });
});
