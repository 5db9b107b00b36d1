/**
 * Failures that happen before any policy is read: the credentials were not accepted, or the bucket is not
 * there. No layer evaluation can explain these, so they are diagnosed from the error code alone.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 */
import type { DecidingLayer, Fix } from '../model/diagnosis';
import type { DeniedRequest } from '../model/request';
import { shellQuote } from '../fixes/shellQuote';

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
 * AccessDenied messages S3 gives before any policy is read, when a presigned URL cannot be used as sent: it had
 * expired (its expiry passed, or the temporary credentials that signed it expired first), or the upload sent
 * headers the URL did not sign (an ACL, a content type, encryption headers added by the client).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
const PRESIGNED_REFUSALS: { message: RegExp; problem: string; fix: string }[] = [
  {
    message: /^Request has expired\b/,
    problem: 'the presigned URL had expired (its expiry passed, or the temporary credentials that signed it expired first)',
    fix: 'Sign a new URL just before the upload, with an expiry that covers it, from credentials that outlive it (an IAM user’s for up to 7 days; a role session’s for at most the session).',
  },
  {
    message: /^There were headers present in the request which were not signed\b/,
    problem: 'the upload sent headers the presigned URL did not sign',
    fix: 'Sign the URL with every header the upload sends (x-amz-acl, Content-Type, encryption headers…), or send only the headers it was signed with.',
  },
];

function presignedRefusal(request: DeniedRequest, action: string, resource: string): RequestFailure | null {
  if (request.event.errorCode !== 'AccessDenied') return null;
  const said = request.event.errorMessage?.trim() ?? '';
  const refusal = PRESIGNED_REFUSALS.find((r) => r.message.test(said));
  if (!refusal) return null;
  return {
    deciding: refusedBefore('credentials', action, resource, `S3 refused the request before reading any policy: ${refusal.problem}.`),
    fix: { summary: refusal.fix, owner: 'uploader' },
  };
}

export function requestFailureOf(request: DeniedRequest, action: string, resource: string): RequestFailure | null {
  const code = request.event.errorCode ?? '';
  const presigned = presignedRefusal(request, action, resource);
  if (presigned) return presigned;
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
  // "All access to this Amazon S3 resource has been disabled": AWS blocked the bucket or its account (a
  // suspension, an unpaid bill, an abuse report); no policy can change that.
  // https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
  if (code === 'AllAccessDisabled') {
    return {
      deciding: refusedBefore(
        'unknown',
        action,
        resource,
        `AWS has disabled all access to bucket ${request.bucket ?? ''} (AllAccessDisabled): the bucket or its account is blocked by AWS, whatever its policies say.`,
      ),
      fix: { summary: "The bucket owner must contact AWS Support: no policy change can lift AWS's block.", owner: 'bucket-owner' },
    };
  }
  // The key S3 (or the caller) named does not exist where KMS looked: a mistyped id or alias, a deleted key, or a
  // key in another region than the bucket (an SSE-KMS key must be in the bucket's region).
  // https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html#API_GenerateDataKey_Errors
  if (code === 'KMS.NotFoundException' || (request.service === 'kms' && code === 'NotFoundException')) {
    const named = request.kmsKeyId;
    const key = named ? `KMS key ${named}` : "the bucket's default KMS key";
    return {
      deciding: refusedBefore(
        'kms-key-state',
        action,
        resource,
        `${key} does not exist in ${request.region} (NotFoundException): a mistyped key id or alias, a deleted key, or a key in another region than the bucket.`,
      ),
      fix: {
        summary: named
          ? `Name an existing key of ${request.region} in the upload's x-amz-server-side-encryption-aws-kms-key-id (or leave it out to use the bucket's default).`
          : `Point the bucket's default encryption at an existing key of ${request.region}.`,
        owner: named ? 'uploader' : 'bucket-owner',
        command: named
          ? `aws kms describe-key --key-id ${shellQuote(named)} --region ${shellQuote(request.region)}`
          : `aws s3api get-bucket-encryption --bucket ${shellQuote(request.bucket ?? '')}`,
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
