/**
 * An SSE-KMS key kept in another account of the organization (a central security account's, say): the KMS
 * call S3 makes is bound by the RCPs above the key's account, not the bucket's, and carries the key account's
 * aws:ResourceOrgID and path. The snapshot's `organization.rcpLevels` are the bucket's; the key carries its own.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgpaths
 */
import { ListPoliciesForTargetCommand } from '@aws-sdk/client-organizations';
import { diagnose, parseEvent, type Statement } from '../../lambda';
import { collectSnapshot } from '../../lambda/collect/collectSnapshot';
import { answerFrom, aws, fakeCollectorDeps, resetAws } from '../collect/fakeAccount';
import type { AccountSnapshot, OrgLevel } from '../../lambda/model/snapshot';
import { ACCOUNT, ALLOW_PUT, BUCKET, KEY, policy, s3Record, SESSION_ARN as SESSION, snapshot } from '../factories';

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
/** RCPFullAWSAccess at every level, as AWS attaches it, and the level's own RCP beside it. */
const level = (target: string, ...own: Statement[]): OrgLevel => ({
  target,
  policies: [
    { id: 'p-RCPFullAWSAccess', name: 'RCPFullAWSAccess', document: policy(RCP_FULL) },
    ...(own.length > 0 ? [{ id: `p-${own[0]!.Sid!.toLowerCase()}`, name: own[0]!.Sid!, document: policy(...own) }] : []),
  ],
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

describe('the collectors, for a key kept in another account of the organization', () => {
  const FULL: Statement = { Sid: 'FullAWSAccess', Effect: 'Allow', Action: '*', Resource: '*' };
  const scp = (target: string): OrgLevel => ({
    target,
    policies: [{ id: 'p-FullAWSAccess', name: 'FullAWSAccess', document: policy(FULL) }],
  });
  const account = keptInSecurityAccount(KEY_LEVELS);
  const given: AccountSnapshot = {
    ...account,
    organization: {
      ...account.organization!,
      scpLevels: [scp('r-ab12 (Root)'), scp('ou-ab12-11111111 (Workloads)'), scp(`${ACCOUNT} (account)`)],
    },
  };

  beforeEach(() => resetAws());

  it('read the RCPs above the key’s account and find it in the organization: the diagnosis is the one above', async () => {
    answerFrom(given, upload);
    const { snapshot: collected } = await collectSnapshot(upload, fakeCollectorDeps(ACCOUNT));
    expect(collected.unseen).toEqual([]);
    const idOf = (level: OrgLevel) => level.target.split(' ')[0];
    expect(collected.kmsKeys?.[0]?.rcpLevels?.map(idOf)).toEqual(KEY_LEVELS.map(idOf));
    expect(collected.organization?.memberAccountIds).toEqual([ACCOUNT, SECURITY_ACCOUNT]);
    expect(diagnose(upload, collected).decidingLayers[0]).toMatchObject({
      layer: 'rcp',
      action: 'kms:GenerateDataKey',
      statement: { sid: 'KeysForOurBucketsOnly' },
    });
  });

  it('walk up from the key’s account for a KMS record: its RCPs bind the call the record names', async () => {
    const kmsCall = parseEvent({
      ...s3Record(),
      eventSource: 'kms.amazonaws.com',
      eventName: 'GenerateDataKey',
      sourceIPAddress: 'fas.s3.amazonaws.com',
      errorCode: 'AccessDenied',
      errorMessage: `User: ${SESSION} is not authorized to perform: kms:GenerateDataKey on resource: ${KEY_ARN} with an explicit deny in a resource control policy`,
      requestParameters: { keyId: KEY_ARN, encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${BUCKET}/${KEY}` }, keySpec: 'AES_256' },
      resources: [{ accountId: SECURITY_ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY_ARN }],
    }).requests[0]!;
    answerFrom(given, kmsCall);
    const { snapshot: collected } = await collectSnapshot(kmsCall, fakeCollectorDeps(ACCOUNT));
    const idOf = (level: OrgLevel) => level.target.split(' ')[0];
    expect(collected.organization?.rcpLevels?.map(idOf)).toEqual(KEY_LEVELS.map(idOf));
    expect(collected.kmsKeys?.[0]).not.toHaveProperty('rcpLevels');
    expect(diagnose(kmsCall, collected).decidingLayers[0]).toMatchObject({ layer: 'rcp', statement: { sid: 'KeysForOurBucketsOnly' } });
  });

  it('read nothing more for a key in the bucket’s own account', async () => {
    const ownKey = {
      ...given,
      kmsKeys: [{ ...given.kmsKeys![0]!, arn: KEY_ARN.replace(SECURITY_ACCOUNT, ACCOUNT), accountId: ACCOUNT, rcpLevels: undefined }],
    };
    const bucket = {
      ...ownKey.bucket,
      defaultEncryption: { sseAlgorithm: 'aws:kms' as const, kmsMasterKeyId: ownKey.kmsKeys[0]!.arn, bucketKeyEnabled: false },
    };
    answerFrom({ ...ownKey, bucket }, upload);
    const { snapshot: collected } = await collectSnapshot(upload, fakeCollectorDeps(ACCOUNT));
    expect(collected.kmsKeys?.[0]).not.toHaveProperty('rcpLevels');
    const targets = aws.organizations.commandCalls(ListPoliciesForTargetCommand).map((c) => c.args[0].input.TargetId);
    expect(targets).not.toContain('ou-ab12-22222222');
  });
});
