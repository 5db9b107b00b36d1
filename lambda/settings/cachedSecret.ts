/**
 * A Secrets Manager string read on first use and kept for the container's life, never logged. A failed
 * read is forgotten, so the next call tries again instead of failing forever.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from './ConfigurationError';

/** @example const webhook = cachedSecret(secrets, 'why-denied/slack-webhook'); await webhook() */
export function cachedSecret(secrets: SecretsManagerClient, secretName: string): () => Promise<string> {
  let value: Promise<string> | null = null;
  return () => {
    value ??= secrets.send(new GetSecretValueCommand({ SecretId: secretName })).then((s) => {
      if (!s.SecretString) throw new ConfigurationError(`secret ${secretName} holds no string`);
      return s.SecretString.trim();
    });
    value.catch(() => {
      value = null;
    });
    return value;
  };
}
