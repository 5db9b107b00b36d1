/**
 * Failures that happen before any policy is read: the credentials were not accepted, or the bucket is not
 * there. No layer evaluation can explain these, so they are diagnosed from the error code alone.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 */
import type { DecidingLayer, Fix } from '../model/diagnosis';
import type { DeniedRequest } from '../model/request';

interface RequestFailure {
  deciding: DecidingLayer;
  fix: Fix;
}

const CREDENTIAL_PROBLEMS: Record<string, string> = {
  ExpiredToken: 'the temporary credentials had expired',
  ExpiredTokenException: 'the temporary credentials had expired',
  TokenRefreshRequired: 'the temporary credentials must be refreshed',
  InvalidToken: 'the session token was malformed or invalid',
  InvalidAccessKeyId: 'the access key id does not exist in AWS (deleted, or from another partition)',
  InvalidClientTokenId: 'the access key id or session token is not valid',
  UnrecognizedClientException: 'the access key id or session token is not valid',
  SignatureDoesNotMatch: 'the request signature did not match (wrong secret key, or a clock far off)',
};

function refusedBefore(layer: DecidingLayer['layer'], action: string, resource: string, explanation: string): DecidingLayer {
  return { layer, action, resource, decision: 'implicit-deny', policy: null, statement: null, conditions: [], explanation };
}

/**
 * A presigned URL used after it expired — its X-Amz-Expires passed, or the temporary credentials that signed it
 * expired first — is refused as AccessDenied with this message, before any policy is read.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html#who-presigned-url
 */
const EXPIRED_REQUEST = /^Request has expired\b/;

function expiredRequest(action: string, resource: string): RequestFailure {
  return {
    deciding: refusedBefore(
      'credentials',
      action,
      resource,
      'S3 refused the request before reading any policy: the presigned URL had expired (its expiry passed, or the temporary credentials that signed it expired first; a URL lasts no longer than the session that signed it).',
    ),
    fix: {
      summary:
        'Sign a new URL just before the upload, with an expiry that covers it, from credentials that outlive it (an IAM user’s for up to 7 days; a role session’s for at most the session).',
      owner: 'uploader',
    },
  };
}

export function requestFailureOf(request: DeniedRequest, action: string, resource: string): RequestFailure | null {
  const code = request.event.errorCode ?? '';
  if (code === 'AccessDenied' && EXPIRED_REQUEST.test(request.event.errorMessage?.trim() ?? '')) return expiredRequest(action, resource);
  const problem = CREDENTIAL_PROBLEMS[code];
  if (problem) {
    return {
      deciding: refusedBefore('credentials', action, resource, `S3 refused the request before reading any policy: ${problem} (${code}).`),
      fix: {
        summary: 'Refresh the credentials and check which identity and account they belong to before retrying.',
        owner: 'uploader',
        command: 'aws sts get-caller-identity',
      },
    };
  }
  if (code === 'NoSuchBucket') {
    return {
      deciding: refusedBefore(
        'unknown',
        action,
        resource,
        `Bucket ${request.bucket ?? ''} does not exist: the bucket name is probably mistyped.`,
      ),
      fix: {
        summary: 'Check the bucket name in the uploader configuration.',
        owner: 'uploader',
        command: 'aws s3api list-buckets --query "Buckets[].Name"',
      },
    };
  }
  return null;
}
