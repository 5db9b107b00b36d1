/**
 * The error codes why-denied explains: refusals of access, of credentials, of a missing bucket, and of the
 * KMS key S3 needed. Anything else (SlowDown, InternalError, PreconditionFailed, NoSuchUpload, throttling)
 * is not a denial; diagnosing it would cost some twenty AWS reads and end in "not reproduced".
 * The EventBridge rules and `parseEvent` both read this list, so the service and `explain` agree on scope.
 * S3: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 * S3's KMS errors carry the KMS exception name behind `KMS.`:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
 * KMS: https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html#API_GenerateDataKey_Errors
 * VPC endpoints: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html
 */

export const DENIAL_ERROR_CODES = [
  'AccessDenied',
  'AccessDeniedException',
  'AllAccessDisabled',
  'AccessControlListNotSupported',
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'InvalidToken',
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'NoSuchBucket',
  'DisabledException',
  'KMSInvalidStateException',
  'NotFoundException',
  'VpceAccessDenied',
] as const;

/** A VPC endpoint's policy refused the call: the code of the endpoint owner's network activity event. */
export const VPC_ENDPOINT_DENIAL = 'VpceAccessDenied';

/** S3 names the KMS exception it met behind this prefix, e.g. `KMS.DisabledException`. */
export const S3_KMS_ERROR_PREFIX = 'KMS.';

const CODES: ReadonlySet<string> = new Set(DENIAL_ERROR_CODES);

export function isDenialErrorCode(code: string): boolean {
  return CODES.has(code) || (code.startsWith(S3_KMS_ERROR_PREFIX) && code.length > S3_KMS_ERROR_PREFIX.length);
}
