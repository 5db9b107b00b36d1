/**
 * The key policy. Unlike other resource policies it is always required: IAM policies count only when the
 * key policy delegates to the account (a statement naming the account root).
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/determining-access-key-policy.html
 */
import { awsManagedS3KeyPolicy } from './awsManagedKeyPolicy';
import { evaluateDocuments } from './evaluateDocuments';
import { notApplicable, notVisible, unseenReason } from './outcomes';
import type { LayerCheck } from './types';

export const kmsKeyPolicy: LayerCheck = (input) => {
  const { service, key, resource } = input.authorization;
  if (service !== 'kms') return notApplicable('kms-key-policy', input, 'not a KMS action');
  if (!key) return notVisible('kms-key-policy', input, `key ${resource} is not in the snapshot`);
  const reason = unseenReason(input, 'kms-key-policy');
  if (reason) return notVisible('kms-key-policy', input, reason);
  const document = key.policy ?? (key.keyManager === 'AWS' ? awsManagedS3KeyPolicy(key.accountId, input.request.region) : null);
  if (!document) return notVisible('kms-key-policy', input, `the key policy of ${key.arn} was not captured`);
  const name = key.aliases?.[0] ?? key.arn.split('/').pop() ?? key.arn;
  return evaluateDocuments(
    'kms-key-policy',
    [{ ref: { kind: 'key policy', name, arn: key.arn, account: key.accountId }, document }],
    input,
    { principalRequired: true, subject: `the key policy of ${name}` },
  );
};
