/** A secret read once and kept, read again when it is older than asked (a rotated signing secret), never kept when its read failed. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { cachedSecret } from '../../lambda/settings/cachedSecret';

const secrets = mockClient(SecretsManagerClient);
let now = 0;

beforeEach(() => {
  secrets.reset();
  now = 0;
});

describe('a cached secret', () => {
  it('is read once while fresh, and again once it is older than maxAgeMs', async () => {
    secrets.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'old ' }).resolvesOnce({ SecretString: 'rotated' });
    const secret = cachedSecret(new SecretsManagerClient({ region: 'us-east-1' }), 's', { maxAgeMs: 300_000, nowMs: () => now });
    expect(await secret()).toBe('old');
    now = 299_000;
    expect(await secret()).toBe('old');
    now = 300_000;
    expect(await secret()).toBe('rotated');
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('without maxAgeMs, is kept for the container’s life', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'kept' });
    const secret = cachedSecret(new SecretsManagerClient({ region: 'us-east-1' }), 's', { nowMs: () => now });
    await secret();
    now = 10 ** 9;
    await secret();
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('forgets a failed read, so the next call tries again', async () => {
    secrets.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: 'ok' });
    const secret = cachedSecret(new SecretsManagerClient({ region: 'us-east-1' }), 's');
    await expect(secret()).rejects.toThrow('throttled');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await secret()).toBe('ok');
  });
});
