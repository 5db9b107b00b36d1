/**
 * SDK failures translated at the edge into what they mean for a snapshot. The SDK's own retry strategy has
 * already retried throttling by the time an error reaches here.
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/handling-exceptions.html
 */
export type AwsFailure = 'missing' | 'denied' | 'throttled' | 'failed';

/** "Not there" is an answer: no bucket policy, no boundary, no ownership controls. */
const MISSING = new Set([
  'NoSuchEntity',
  'NoSuchEntityException',
  'NoSuchBucketPolicy',
  'OwnershipControlsNotFoundError',
  'NoSuchPublicAccessBlockConfiguration',
  'ServerSideEncryptionConfigurationNotFoundError',
  'NotFoundException',
  'AWSOrganizationsNotInUseException',
  'PolicyTypeNotEnabledException',
  'InvalidVpcEndpointId.NotFound',
  'ChildNotFoundException',
  'TargetNotFoundException',
]);
const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'InvalidClientTokenId',
  'ExpiredToken',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'SlowDown',
  'RequestLimitExceeded',
  'RateExceeded',
]);

export function classifyAwsError(error: unknown): AwsFailure {
  const name = (error as { name?: string } | null)?.name ?? '';
  if (MISSING.has(name)) return 'missing';
  if (DENIED.has(name)) return 'denied';
  if (THROTTLED.has(name)) return 'throttled';
  return 'failed';
}

export function describeAwsError(error: unknown): string {
  const e = error as { name?: string; message?: string } | null;
  return `${e?.name ?? 'Error'}: ${(e?.message ?? '').slice(0, 200)}`;
}
