/**
 * What went wrong reaching AWS, in one line that says what to do: the SDK's own errors name a provider chain
 * or a socket, not the flag a person should pass.
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/setting-credentials-node.html
 */
import { CliEnvironmentError } from './errors';

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** @example throw awsAccessError(error, 'eu-west-1') */
export function awsAccessError(error: unknown, region: string): Error {
  const { name, code, message } = (error ?? {}) as { name?: string; code?: string; message?: string };
  if (name === 'CredentialsProviderError' || name === 'ProviderError') {
    return new CliEnvironmentError(
      'no AWS credentials: looked in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws/credentials and ~/.aws/config (SSO too), ' +
        'web identity, and container or instance metadata. Pass --profile NAME (and --region R), export AWS_PROFILE, or give --snapshot FILE to diagnose offline',
    );
  }
  if ((code && NETWORK_CODES.has(code)) || name === 'TimeoutError') {
    return new CliEnvironmentError(
      `could not reach AWS in ${region} (${code ?? name}: ${message ?? 'no answer'}); check the network, a proxy, or --region`,
    );
  }
  if (
    name === 'ExpiredToken' ||
    name === 'ExpiredTokenException' ||
    name === 'InvalidClientTokenId' ||
    name === 'UnrecognizedClientException'
  ) {
    return new CliEnvironmentError(`AWS refused the credentials (${name}): refresh them, or pass another --profile`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
