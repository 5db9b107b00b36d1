/**
 * The KMS key an SSE-KMS upload needs, before any policy: S3 calls KMS with it, and only an Enabled key can
 * be used; the key policy is always required, and the layers that cannot see the key say which they lack.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
import { diagnose, parseEvent } from '../../lambda';
import type { KmsKeySnapshot } from '../../lambda/model/snapshot';
import { ACCOUNT, KMS_KEY_ARN, policy, ROLE_ARN, s3Record, snapshot } from '../factories';

const KEY_ID = KMS_KEY_ARN.split('/').pop()!;
const useKey = policy({
  Sid: 'UseKey',
  Effect: 'Allow',
  Principal: { AWS: ROLE_ARN },
  Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
  Resource: '*',
});
const key = (fields: Partial<KmsKeySnapshot> = {}): KmsKeySnapshot => ({
  arn: KMS_KEY_ARN,
  accountId: ACCOUNT,
  aliases: [],
  keyManager: 'CUSTOMER',
  keyState: 'Enabled',
  policy: useKey,
  grants: [],
  ...fields,
});

/** The KMS layers of the upload's GenerateDataKey call, by layer. */
function kmsLayers(keys: KmsKeySnapshot[], unseen: { layer: string; reason: string }[] = []) {
  const account = snapshot(
    { kmsKeys: keys, unseen },
    { defaultEncryption: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: KMS_KEY_ARN, bucketKeyEnabled: false } },
  );
  const diagnosis = diagnose(parseEvent(s3Record()).requests[0]!, account);
  const layers = diagnosis.layers.filter((l) => l.action === 'kms:GenerateDataKey');
  return {
    diagnosis,
    layer: (name: string) => layers.find((l) => l.layer === name),
    deciding: (name: string) => diagnosis.decidingLayers.find((l) => l.layer === name),
  };
}

describe('the key’s state', () => {
  it('lets an Enabled key be used', () => {
    expect(kmsLayers([key()]).layer('kms-key-state')).toMatchObject({ result: 'allow', detail: 'the key is Enabled' });
  });

  it.each([
    ['Disabled', [], `KMS key ${KMS_KEY_ARN} is Disabled, so it cannot be used.`],
    ['PendingDeletion', ['alias/media'], 'KMS key alias/media is PendingDeletion, so it cannot be used.'],
  ])('refuses a key that is %s, named by its first alias or its ARN', (keyState, aliases, words) => {
    const { diagnosis, layer, deciding } = kmsLayers([key({ keyState, aliases })]);
    expect(layer('kms-key-state')).toMatchObject({ result: 'setting-blocked', detail: words });
    expect(deciding('kms-key-state')?.explanation).toBe(words);
    expect(diagnosis.verdict).toBe('setting-blocked');
  });
});

describe('a key the snapshot does not hold, or holds without its policy', () => {
  it('names the key every KMS layer could not see', () => {
    const { layer } = kmsLayers([]);
    for (const name of ['kms-key-state', 'kms-key-policy', 'kms-grant']) {
      expect(layer(name)).toMatchObject({ result: 'not-visible', detail: `key ${KMS_KEY_ARN} is not in the snapshot` });
    }
  });

  it('passes on the collectors’ reason for a key policy they could not read', () => {
    const reason = 'kms:GetKeyPolicy was denied (AccessDeniedException)';
    expect(kmsLayers([key()], [{ layer: 'kms-key-policy', reason }]).layer('kms-key-policy')).toMatchObject({
      result: 'not-visible',
      detail: reason,
    });
  });

  it('says a customer managed key’s policy was not captured', () => {
    expect(kmsLayers([key({ policy: null })]).layer('kms-key-policy')).toMatchObject({
      result: 'not-visible',
      detail: `the key policy of ${KMS_KEY_ARN} was not captured`,
    });
  });

  it('writes the policy of an AWS managed key itself: AWS sets it, the same in every account', () => {
    expect(kmsLayers([key({ keyManager: 'AWS', policy: null })]).layer('kms-key-policy')).toMatchObject({ result: 'allow' });
  });
});

describe('how the key policy is named', () => {
  it.each([
    ['by its first alias', ['alias/media', 'alias/old'], 'alias/media'],
    ['by its key id without one', [], KEY_ID],
  ])('%s', (_name, aliases, name) => {
    const refusing = policy({
      Sid: 'Admins',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'kms:*',
      Resource: '*',
    });
    const { layer, deciding } = kmsLayers([key({ aliases, policy: refusing })]);
    expect(deciding('kms-key-policy')?.policy).toEqual({ kind: 'key policy', name, arn: KMS_KEY_ARN, account: ACCOUNT });
    expect(layer('kms-key-policy')?.detail).toBe(`no statement in the key policy of ${name} allows it`);
  });
});
