/**
 * The key policy. Unlike other resource policies it is always required: IAM policies count only when the
 * key policy delegates to the account (a statement naming the account root).
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/determining-access-key-policy.html
 */
import { awsManagedS3KeyPolicy } from './awsManagedKeyPolicy';
import { evaluateDocuments } from './evaluateDocuments';
import { namingPolicy, notVisible, unseenReason } from './outcomes';
import type { LayerCheck } from './types';

export const kmsKeyPolicy: LayerCheck = (input) => {
  const { key, resource } = input.authorization;
  if (!key) return notVisible('kms-key-policy', input, `key ${resource} is not in the snapshot`);
  const reason = unseenReason(input, 'kms-key-policy');
  if (reason) return notVisible('kms-key-policy', input, reason);
  const document = key.policy ?? (key.keyManager === 'AWS' ? awsManagedS3KeyPolicy(key.accountId, input.request.region) : null);
  if (!document) return notVisible('kms-key-policy', input, `the key policy of ${key.arn} was not captured`);
  const name = key.aliases?.[0] ?? key.arn.split('/').pop() ?? key.arn;
  const ref = { kind: 'key policy', name, arn: key.arn, account: key.accountId };
  const outcome = evaluateDocuments('kms-key-policy', [{ ref, document }], input, {
    principalRequired: true,
    subject: `the key policy of ${name}`,
  });
  // A key has one policy: it is named even when nothing in it came close, so the diagnosis says which key.
  return outcome.policy ? outcome : namingPolicy(outcome, ref);
};
