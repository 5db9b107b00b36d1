/**
 * A Secrets Manager string read on first use and kept, never logged. A failed read is forgotten, so the
 * next call tries again instead of failing forever. With `maxAgeMs` the value is read again once it is that
 * old, so a rotated secret (a Slack signing secret regenerated after a leak) takes effect within that time
 * instead of at the container's end.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from './ConfigurationError';

export interface SecretOptions {
  maxAgeMs?: number;
  nowMs?: () => number;
}

/** @example const webhook = cachedSecret(secrets, 'why-denied/slack-webhook'); await webhook() */
export function cachedSecret(secrets: SecretsManagerClient, secretName: string, options: SecretOptions = {}): () => Promise<string> {
  const nowMs = options.nowMs ?? Date.now;
  let value: Promise<string> | null = null;
  let readAt = 0;
  return () => {
    if (value && options.maxAgeMs !== undefined && nowMs() - readAt >= options.maxAgeMs) value = null;
    if (!value) {
      readAt = nowMs();
      value = secrets.send(new GetSecretValueCommand({ SecretId: secretName })).then((s) => {
        if (!s.SecretString) throw new ConfigurationError(`secret ${secretName} holds no string`);
        return s.SecretString.trim();
      });
      value.catch(() => {
        value = null;
      });
    }
    return value;
  };
}
