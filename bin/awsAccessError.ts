/**
 * What went wrong reaching AWS, in one line that says what to do: the SDK's own errors name a provider chain
 * or a socket, not the flag a person should pass.
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/setting-credentials-node.html
 */
import { CliEnvironmentError } from './errors';
import { knownProfiles } from './knownProfiles';

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** How the command was asked to reach AWS: the profile named, and whether it also takes --snapshot. */
export interface AccessContext {
  profile?: string | undefined;
  /** The command can diagnose offline from a snapshot file instead (explain, fix plan). */
  offline?: boolean | undefined;
}

/** @example throw awsAccessError(error, 'eu-west-1', { profile: 'dev', offline: true }) */
export function awsAccessError(error: unknown, region: string, context: AccessContext = {}): Error {
  const { name, code, message } = (error ?? {}) as { name?: string; code?: string; message?: string };
  if (name === 'CredentialsProviderError' || name === 'ProviderError') {
    if (context.profile) {
      return new CliEnvironmentError(
        knownProfiles().has(context.profile)
          ? `AWS profile ${context.profile} gave no credentials (${message ?? name}): log in again (aws sso login --profile ${context.profile}) or check its keys`
          : `AWS profile ${context.profile} is not in ~/.aws/config or ~/.aws/credentials: aws configure list-profiles shows the names there`,
      );
    }
    return new CliEnvironmentError(
      'no AWS credentials: looked in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws/credentials and ~/.aws/config (SSO too), ' +
        `web identity, and container or instance metadata. Pass --profile NAME (and --region R)${context.offline ? ', export AWS_PROFILE, or give --snapshot FILE to diagnose offline' : ' or export AWS_PROFILE'}`,
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
