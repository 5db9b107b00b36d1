/**
 * Only an Enabled key can be used; a disabled key or one pending deletion refuses every cryptographic call.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
 */
import { allowed, notVisible, settingBlocked } from './outcomes';
import type { LayerCheck } from './types';

export const kmsKeyState: LayerCheck = (input) => {
  const { key, resource } = input.authorization;
  if (!key) return notVisible('kms-key-state', input, `key ${resource} is not in the snapshot`);
  if (key.keyState === 'Enabled') return allowed('kms-key-state', input, 'the key is Enabled');
  return settingBlocked('kms-key-state', input, `KMS key ${key.aliases?.[0] ?? key.arn} is ${key.keyState}, so it cannot be used.`);
};
