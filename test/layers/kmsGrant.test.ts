/**
 * KMS grants: a grant lets its grantee principal perform its operations on the key, without any policy,
 * within its encryption context constraints (EncryptionContextEquals: exactly these pairs;
 * EncryptionContextSubset: at least these). S3 puts the object's ARN in the context of the calls it makes.
 * https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/create-grant-overview.html#grant-constraints
 */
import { diagnose, parseEvent } from '../../lambda';
import type { KmsGrant } from '../../lambda/model/snapshot';
import { ACCOUNT, KMS_KEY_ARN, OBJECT_ARN, policy, ROLE_ARN, s3Record, SESSION_ARN, snapshot } from '../factories';

// The key policy lets the account's administrators manage the key but grants nobody its use, and does not
// delegate to IAM: only a grant can let the upload through.
const adminsOnly = policy({
  Sid: 'Admins',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/KeyAdmin` },
  Action: ['kms:Describe*', 'kms:Put*'],
  Resource: '*',
});

function outcome(grants: KmsGrant[], record = s3Record()) {
  const account = snapshot(
    {
      kmsKeys: [
        { arn: KMS_KEY_ARN, accountId: ACCOUNT, aliases: [], keyManager: 'CUSTOMER', keyState: 'Enabled', policy: adminsOnly, grants },
      ],
    },
    { defaultEncryption: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: KMS_KEY_ARN, bucketKeyEnabled: false } },
  );
  const diagnosis = diagnose(parseEvent(record).requests[0]!, account);
  return {
    verdict: diagnosis.verdict,
    grant: diagnosis.layers.filter((l) => l.layer === 'kms-grant').map((l) => `${l.action} ${l.result}`),
  };
}

const grant = (fields: Partial<KmsGrant>): KmsGrant => ({
  grantId: 'g-1',
  granteePrincipal: ROLE_ARN,
  operations: ['GenerateDataKey'],
  ...fields,
});

describe('a KMS grant', () => {
  it.each<[string, KmsGrant[], string]>([
    ['to the role, for GenerateDataKey: the upload goes through', [grant({})], 'not-reproduced'],
    ['to the role session itself', [grant({ granteePrincipal: SESSION_ARN })], 'not-reproduced'],
    ['to another role', [grant({ granteePrincipal: `arn:aws:iam::${ACCOUNT}:role/Other` })], 'implicit-deny'],
    ['for other operations only', [grant({ operations: ['Encrypt', 'Decrypt'] })], 'implicit-deny'],
    ['with no operations', [grant({ operations: [] })], 'implicit-deny'],
    [
      'whose subset constraint names this object',
      [grant({ constraints: { encryptionContextSubset: { 'aws:s3:arn': OBJECT_ARN } } })],
      'not-reproduced',
    ],
    [
      'whose subset constraint names another object',
      [grant({ constraints: { encryptionContextSubset: { 'aws:s3:arn': `${OBJECT_ARN}.bak` } } })],
      'implicit-deny',
    ],
    [
      'whose equals constraint is exactly this context',
      [grant({ constraints: { encryptionContextEquals: { 'aws:s3:arn': OBJECT_ARN } } })],
      'not-reproduced',
    ],
    [
      'whose equals constraint asks for a pair more than the call sends',
      [grant({ constraints: { encryptionContextEquals: { 'aws:s3:arn': OBJECT_ARN, purpose: 'backup' } } })],
      'implicit-deny',
    ],
    [
      'among others, the one that fits',
      [grant({ granteePrincipal: `arn:aws:iam::${ACCOUNT}:role/Other` }), grant({ grantId: 'g-2' })],
      'not-reproduced',
    ],
  ])('%s', (_name, grants, verdict) => {
    expect(outcome(grants).verdict).toBe(verdict);
  });

  it('allows only its operations: a multipart upload also needs kms:Decrypt', () => {
    const multipart = s3Record({ eventName: 'UploadPart' }, { partNumber: '2', uploadId: 'u-1' });
    expect(outcome([grant({})], multipart)).toEqual({
      verdict: 'implicit-deny',
      // No grant for Decrypt is no refusal: the key policy, which grants nothing here, is what denies.
      grant: ['kms:GenerateDataKey allow', 'kms:Decrypt not-applicable'],
    });
    expect(outcome([grant({ operations: ['GenerateDataKey', 'Decrypt'] })], multipart).verdict).toBe('not-reproduced');
  });

  it('is the layer that allowed the call when it did', () => {
    expect(outcome([grant({})]).grant).toEqual(['kms:GenerateDataKey allow']);
  });

  it('does not stand in for the identity policy the S3 side still needs', () => {
    const noIdentity = snapshot({
      principal: { ...snapshot().principal, policies: [] },
      kmsKeys: [{ arn: KMS_KEY_ARN, accountId: ACCOUNT, keyState: 'Enabled', policy: adminsOnly, grants: [grant({})] }],
    });
    const diagnosis = diagnose(parseEvent(s3Record()).requests[0]!, {
      ...noIdentity,
      bucket: { ...noIdentity.bucket, defaultEncryption: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: KMS_KEY_ARN } },
    });
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'identity-policy', action: 's3:PutObject' });
  });
});
