/** The AWS combination rules, each shown on the smallest account that exhibits it. */
import { readFileSync } from 'node:fs';
import { diagnose, parseEvent, parseSnapshot } from '../lambda';
import type { AccountSnapshot } from '../lambda/model/snapshot';
import {
  ACCOUNT,
  ALLOW_PUT,
  BUCKET,
  KMS_KEY_ARN,
  OBJECT_ARN,
  OTHER_ACCOUNT,
  policy,
  ROLE_ARN,
  SESSION_ARN,
  s3Record,
  snapshot,
} from './factories';

function diagnoseOf(record: Record<string, unknown>, account: AccountSnapshot) {
  return diagnose(parseEvent(record).requests[0]!, account);
}

const noIdentityPolicies = { principal: { ...snapshot().principal, policies: [] } };

const partnerRecord = (message = 'Access Denied') =>
  s3Record({
    userIdentity: { type: 'AWSAccount', principalId: 'AROAPARTNER:nightly', accountId: OTHER_ACCOUNT },
    errorMessage: message,
  });
const partnerMessage = `User: arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/Partner/nightly is not authorized to perform: s3:PutObject on resource: "${OBJECT_ARN}" because no resource-based policy allows the s3:PutObject action`;
const partnerSnapshot = (bucketPolicy: AccountSnapshot['bucket']['policy']) =>
  snapshot(
    {
      principal: {
        arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/Partner`,
        kind: 'role',
        accountId: OTHER_ACCOUNT,
        policies: [{ source: 'inline', name: 'p', document: policy(ALLOW_PUT) }],
      },
    },
    { policy: bucketPolicy },
  );

describe('same account: either side may grant', () => {
  it('is not reproduced when only the bucket policy grants, naming the role session', () => {
    const account = snapshot(noIdentityPolicies, {
      policy: policy({ Effect: 'Allow', Principal: { AWS: SESSION_ARN }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/*` }),
    });
    expect(diagnoseOf(s3Record(), account).verdict).toBe('not-reproduced');
  });

  it('blames the identity policies when neither side grants, and does not blame the silent bucket policy', () => {
    const d = diagnoseOf(s3Record(), snapshot(noIdentityPolicies));
    expect(d.decidingLayers.map((l) => l.layer)).toEqual(['identity-policy']);
    expect(d.layers.find((l) => l.layer === 'bucket-policy')?.result).toBe('not-applicable');
  });

  it('caps a bucket policy grant to the role by the permissions boundary, but not one to the session', () => {
    const boundary = { name: 'B', document: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) };
    const toRole = policy({ Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 's3:PutObject', Resource: '*' });
    const toSession = policy({ Effect: 'Allow', Principal: { AWS: SESSION_ARN }, Action: 's3:PutObject', Resource: '*' });
    const principal = { ...snapshot().principal, policies: [], permissionsBoundary: boundary };
    expect(diagnoseOf(s3Record(), snapshot({ principal }, { policy: toRole })).decidingLayers[0]?.layer).toBe('permissions-boundary');
    expect(diagnoseOf(s3Record(), snapshot({ principal }, { policy: toSession })).verdict).toBe('not-reproduced');
  });

  it('needs the identity side when the bucket policy names only the account', () => {
    const toAccount = policy({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 's3:PutObject',
      Resource: '*',
    });
    expect(diagnoseOf(s3Record(), snapshot(noIdentityPolicies, { policy: toAccount })).decidingLayers[0]?.layer).toBe('identity-policy');
  });
});

describe('cross account: both sides must grant', () => {
  it('blames the bucket policy when it does not name the caller’s account, and says the credentials may be the wrong ones', () => {
    const d = diagnoseOf(partnerRecord(partnerMessage), partnerSnapshot(null));
    expect(d.decidingLayers[0]).toMatchObject({ layer: 'bucket-policy', decision: 'implicit-deny' });
    expect(d.fixes[0]).toMatchObject({ owner: 'bucket-owner', policyPatch: { layer: 'bucket-policy' } });
    expect(d.fixes[0]?.policyPatch?.Statement[0]).toEqual({
      Sid: 'WhyDeniedPutObject',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::contoso-media-uploads/incoming/2026/*',
      Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:role/Partner` },
    });
  });

  it('still needs the caller’s own identity policy when the bucket grants', () => {
    const grants = policy({ Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: 's3:PutObject', Resource: '*' });
    const account = partnerSnapshot(grants);
    account.principal.policies = [];
    expect(diagnoseOf(partnerRecord(), account).decidingLayers[0]?.layer).toBe('identity-policy');
  });

  it('cannot see the identity side without the caller’s ARN and says so', () => {
    const grants = policy({ Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: 's3:PutObject', Resource: '*' });
    const account = partnerSnapshot(grants);
    account.principal = { arn: null, kind: 'unknown', accountId: OTHER_ACCOUNT, policies: null };
    const d = diagnoseOf(partnerRecord(), account);
    expect(d.verdict).toBe('not-reproduced');
    expect(d.confidence).toBe('possible');
    expect(d.notVisible.map((n) => n.layer)).toContain('identity-policy');
  });
});

describe('SSE-KMS', () => {
  const kmsBucket = { defaultEncryption: { sseAlgorithm: 'aws:kms' as const, kmsMasterKeyId: KMS_KEY_ARN, bucketKeyEnabled: false } };
  const key = (keyPolicy: AccountSnapshot['bucket']['policy'], state = 'Enabled') => [
    {
      arn: KMS_KEY_ARN,
      accountId: ACCOUNT,
      aliases: ['alias/media'],
      keyManager: 'CUSTOMER' as const,
      keyState: state,
      policy: keyPolicy,
      grants: [],
    },
  ];
  const delegating = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' });

  it('adds kms:GenerateDataKey on the bucket’s default key to what the upload needs', () => {
    const d = diagnoseOf(s3Record(), snapshot({ kmsKeys: key(delegating) }, kmsBucket));
    expect(d.request.actions).toEqual(['s3:PutObject', 'kms:GenerateDataKey']);
    expect(d.decidingLayers[0]).toMatchObject({ layer: 'identity-policy', action: 'kms:GenerateDataKey' });
  });

  it('ignores IAM policies when the key policy does not delegate to the account', () => {
    const account = snapshot(
      {
        kmsKeys: key(policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` }, Action: 'kms:*', Resource: '*' })),
      },
      kmsBucket,
    );
    account.principal.policies = [
      { source: 'inline', name: 'all', document: policy({ Effect: 'Allow', Action: ['s3:PutObject', 'kms:*'], Resource: '*' }) },
    ];
    const d = diagnoseOf(s3Record(), account);
    expect(d.decidingLayers[0]).toMatchObject({ layer: 'kms-key-policy', action: 'kms:GenerateDataKey' });
    expect(d.fixes[0]?.policyPatch?.Statement[0]?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
      // The job's folder, as the S3 grant has it: the next upload beside this one is encrypted too.
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::contoso-media-uploads/incoming/2026/*' },
    });
  });

  it('lets a key policy naming the role grant alone in the same account', () => {
    const toRole = policy({ Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 'kms:GenerateDataKey', Resource: '*' });
    expect(diagnoseOf(s3Record(), snapshot({ kmsKeys: key(toRole) }, kmsBucket)).verdict).toBe('not-reproduced');
  });

  it('evaluates kms:ViaService against the KMS call S3 makes, not the upload', () => {
    const viaS3Only = policy({
      Effect: 'Allow',
      Principal: { AWS: ROLE_ARN },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' } },
    });
    expect(diagnoseOf(s3Record(), snapshot({ kmsKeys: key(viaS3Only) }, kmsBucket)).verdict).toBe('not-reproduced');
  });

  it('names a disabled key as the setting that refused it, with the command to enable it', () => {
    const d = diagnoseOf(s3Record(), snapshot({ kmsKeys: key(delegating, 'Disabled') }, kmsBucket));
    expect(d.verdict).toBe('setting-blocked');
    expect(d.decidingLayers[0]).toMatchObject({ layer: 'kms-key-state', action: 'kms:GenerateDataKey' });
    expect(d.fixes[0]?.command).toBe(`aws kms enable-key --key-id=${KMS_KEY_ARN}`);
  });

  it('says the key is not visible instead of guessing when the snapshot lacks it', () => {
    const d = diagnoseOf(s3Record(), snapshot({}, kmsBucket));
    expect(d.verdict).toBe('not-reproduced');
    expect(d.notVisible.map((n) => n.layer)).toEqual(expect.arrayContaining(['kms-key-policy']));
  });
});

describe('what could not be seen', () => {
  it('lets AWS’s message decide a layer the collectors could not read, with likely confidence', () => {
    const message = `User: ${SESSION_ARN} is not authorized to perform: s3:PutObject on resource: "${OBJECT_ARN}" with an explicit deny in a service control policy`;
    const d = diagnoseOf(
      s3Record({ errorMessage: message }),
      snapshot({ unseen: [{ layer: 'scp', reason: 'not the management account' }] }),
    );
    expect(d).toMatchObject({ verdict: 'explicit-deny', confidence: 'likely', decidingLayers: [{ layer: 'scp', policy: null }] });
    expect(d.notVisible).toContainEqual({ layer: 'scp', reason: 'not the management account' });
  });

  it('names the policy AWS’s message names, even where the collectors could not read it', () => {
    const scpArn = 'arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd';
    const message = `User: ${SESSION_ARN} is not authorized to perform: s3:PutObject on resource: "${OBJECT_ARN}" with an explicit deny in a service control policy: ${scpArn}`;
    const d = diagnoseOf(
      s3Record({ errorMessage: message }),
      snapshot({ unseen: [{ layer: 'scp', reason: 'not the management account' }] }),
    );
    expect(d.decidingLayers[0]).toMatchObject({
      layer: 'scp',
      decision: 'explicit-deny',
      policy: { kind: 'service control policy', name: 'p-2kgnabcd', arn: scpArn },
    });
    expect(d.decidingLayers[0]?.explanation).toContain(scpArn);
    expect(d.fixes[0]?.summary).toContain(`look in ${scpArn} for a statement that denies s3:PutObject`);
  });

  it('says when AWS blamed a layer the snapshot shows allowing', () => {
    const message = `User: ${SESSION_ARN} is not authorized to perform: s3:PutObject on resource: "${OBJECT_ARN}" because no permissions boundary allows the s3:PutObject action`;
    const d = diagnoseOf(s3Record({ errorMessage: message }), snapshot(noIdentityPolicies));
    expect(d.decidingLayers[0]?.layer).toBe('identity-policy');
    expect(d.confidence).toBe('likely');
    expect(d.summary).toContain('may have changed since the denial');
  });

  it('turns a malformed policy into a layer it could not evaluate, not a crash', () => {
    const broken = snapshot({}, { policy: { Statement: 'not a list' } as never });
    const d = diagnoseOf(s3Record(), broken);
    expect(d.layers.find((l) => l.layer === 'bucket-policy')).toMatchObject({ result: 'not-visible' });
    expect(d.notVisible.map((n) => n.layer)).toContain('bucket-policy');
  });
});

describe('settings', () => {
  it('checks Block Public Access against the account setting too', () => {
    const d = diagnoseOf(
      s3Record({}, { 'x-amz-acl': 'public-read' }),
      snapshot(
        {},
        {
          objectOwnership: 'ObjectWriter',
          publicAccessBlock: null,
          accountPublicAccessBlock: { blockPublicAcls: true },
        },
      ),
    );
    expect(d.decidingLayers[0]).toMatchObject({ layer: 'block-public-access', decision: 'setting-blocked' });
    expect(d.fixes[0]?.requestChange).toEqual({ removeHeaders: ['x-amz-acl'] });
  });

  it('needs s3:PutObjectAcl when the ACL grants others access', () => {
    const d = diagnoseOf(
      s3Record({}, { 'x-amz-grant-read': 'id="partner-canonical-id"' }),
      snapshot({}, { objectOwnership: 'BucketOwnerPreferred' }),
    );
    expect(d.request.actions).toEqual(['s3:PutObject', 's3:PutObjectAcl']);
    expect(d.decidingLayers[0]).toMatchObject({ layer: 'identity-policy', action: 's3:PutObjectAcl' });
  });

  it('accepts bucket-owner-full-control on a bucket with ACLs disabled', () => {
    const account = snapshot();
    account.principal.policies = [
      { source: 'inline', name: 'p', document: policy({ Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl'], Resource: '*' }) },
    ];
    expect(diagnoseOf(s3Record({}, { 'x-amz-acl': 'bucket-owner-full-control' }), account).verdict).toBe('not-reproduced');
  });
});

describe('the trace of layers', () => {
  it.each(['kms-key-disabled'])('%s shows the refusing setting as setting-blocked', (name) => {
    const dir = `${__dirname}/fixtures/scenarios/${name}`;
    const read = (file: string) => JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as unknown;
    const diagnosis = diagnose(parseEvent(read('event.json')).requests[0]!, parseSnapshot(read('snapshot.json')));
    expect(diagnosis.verdict).toBe('setting-blocked');
    expect(diagnosis.layers).toContainEqual(
      expect.objectContaining({ layer: diagnosis.decidingLayers[0]!.layer, result: 'setting-blocked' }),
    );
  });

  it('names the kind of caller', () => {
    expect(diagnoseOf(s3Record(), snapshot()).request.principalType).toBe('role');
    expect(diagnoseOf(partnerRecord(partnerMessage), partnerSnapshot(null)).request.principalType).toBe('role');
    expect(diagnoseOf(partnerRecord(), partnerSnapshot(null)).request.principalType).toBe('account');
  });
});
