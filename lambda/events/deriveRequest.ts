/** A checked CloudTrail record → the denied request it describes. */
import { isIP } from 'node:net';
import { parseS3Arn, partitionOfArn, partitionOfRegion } from '../policy/arns';
import type { DeniedRequest } from '../model/request';
import {
  type CloudTrailRecord,
  COPY_EVENTS,
  isEndpointRefusal,
  isKmsEventInScope,
  MULTIPART_EVENTS,
  S3_WRITE_EVENTS,
} from './cloudTrailRecord';
import { deriveCaller } from './deriveCaller';
import { eventIdOf } from './eventIdOf';
import { isDenialErrorCode } from './denialErrorCodes';
import { MalformedEventError, OutOfScopeEventError } from './errors';
import { parseErrorMessage } from './parseErrorMessage';
import { buildRequestContext } from './requestContext';

const ACL_HEADERS = /^x-amz-(acl|grant-.+)$/;

function stringParam(params: Record<string, unknown>, name: string): string | null {
  const value = params[name];
  return typeof value === 'string' ? value : null;
}

/** S3 logs request headers among `requestParameters`; the `x-amz-*` ones are condition keys. */
function headersOf(params: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-') && (typeof value === 'string' || typeof value === 'number')) {
      headers[lower] = String(value);
    }
  }
  return headers;
}

/** `x-amz-copy-source` is `bucket/key` or `/bucket/key`, URL-encoded, maybe with `?versionId=`. */
function parseCopySource(value: string | undefined): { bucket: string; key: string } | null {
  if (!value) return null;
  const withoutVersion = value.replace(/\?versionId=.*$/, '');
  let decoded = withoutVersion;
  try {
    decoded = decodeURIComponent(withoutVersion);
  } catch {
    // A source that is not valid percent-encoding is kept as logged.
  }
  const trimmed = decoded.replace(/^\//, '');
  const slash = trimmed.indexOf('/');
  if (slash <= 0) return null;
  return { bucket: trimmed.slice(0, slash), key: trimmed.slice(slash + 1) };
}

function objectKeyInResources(record: CloudTrailRecord, bucket: string | null): string | null {
  for (const resource of record.resources ?? []) {
    const parsed = resource.type === 'AWS::S3::Object' ? parseS3Arn(resource.ARN ?? null) : null;
    if (parsed?.key && (bucket === null || parsed.bucket === bucket)) return parsed.key;
  }
  return null;
}

/** The caller's ARN says the partition; a record without one still names its resources and region. */
function partitionOfRecord(record: CloudTrailRecord): string {
  const arns = [record.userIdentity.arn, ...(record.resources ?? []).map((r) => r.ARN)];
  for (const arn of arns) {
    const partition = partitionOfArn(arn);
    if (partition) return partition;
  }
  return partitionOfRegion(record.awsRegion);
}

function bucketAccountOf(record: CloudTrailRecord, bucket: string | null): string | null {
  const entry = record.resources?.find((r) => r.type === 'AWS::S3::Bucket' && r.ARN?.endsWith(`:::${bucket}`));
  return entry?.accountId ?? null;
}

/**
 * @example deriveRequest(cloudTrailRecordSchema.parse(json))
 */
export function deriveRequest(record: CloudTrailRecord): DeniedRequest {
  const eventId = eventIdOf(record);
  const isS3 = record.eventSource === 's3.amazonaws.com';
  const isKms = record.eventSource === 'kms.amazonaws.com';
  if (!(isS3 && S3_WRITE_EVENTS.has(record.eventName)) && !(isKms && isKmsEventInScope(record.eventName))) {
    throw new OutOfScopeEventError(`${record.eventSource} ${record.eventName} is not an S3 write or a KMS call an upload needs`, eventId);
  }
  if (!record.errorCode) {
    throw new OutOfScopeEventError(`${record.eventName} succeeded (the record has no errorCode)`, eventId);
  }
  if (!isDenialErrorCode(record.errorCode)) {
    throw new OutOfScopeEventError(`${record.eventName} failed with ${record.errorCode}, which is not an access denial`, eventId);
  }
  const params = record.requestParameters ?? {};
  // An endpoint's record of a refusal carries no parameters: the bucket, key and KMS context are unknown.
  const refusedAtEndpoint = isEndpointRefusal(record);
  const blame = parseErrorMessage(record.errorMessage);
  const caller = deriveCaller(record, blame);

  let bucket: string | null;
  let key: string | null;
  let kmsKeyId: string | null = null;
  let s3EncryptionContext: string | null = null;
  if (isS3) {
    bucket = stringParam(params, 'bucketName');
    // Some exports leave the key out of requestParameters; the object is still named in resources[].
    key = stringParam(params, 'key') ?? objectKeyInResources(record, bucket);
    if (!bucket && !refusedAtEndpoint)
      throw new MalformedEventError(`${record.eventName} record has no requestParameters.bucketName`, eventId);
  } else {
    const context = params.encryptionContext as Record<string, unknown> | undefined;
    const s3Arn = typeof context?.['aws:s3:arn'] === 'string' ? (context['aws:s3:arn'] as string) : null;
    // S3 always puts the object (or, with a Bucket Key, the bucket) in the encryption context; a KMS call
    // without it is Secrets Manager's, EBS's or an application's, whoever invoked it.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
    if (!s3Arn && !refusedAtEndpoint) {
      throw new OutOfScopeEventError(`${record.eventName} is not for an S3 upload (its encryption context names no aws:s3:arn)`, eventId);
    }
    const parsed = s3Arn ? parseS3Arn(s3Arn) : null;
    s3EncryptionContext = s3Arn ?? null;
    bucket = parsed?.bucket ?? null;
    key = parsed?.key ?? null;
    kmsKeyId = stringParam(params, 'keyId');
  }
  const headers = isS3 ? headersOf(params) : {};
  kmsKeyId ??= headers['x-amz-server-side-encryption-aws-kms-key-id'] ?? null;
  const sourceIp = record.sourceIPAddress && isIP(record.sourceIPAddress) ? record.sourceIPAddress : null;
  const vpcEndpointId = record.vpcEndpointId ?? null;

  return {
    event: {
      id: eventId,
      // An export without eventTime: the diagnosis leaves the moment blank rather than inventing one.
      time: record.eventTime ?? '',
      source: record.eventSource,
      name: record.eventName,
      errorCode: record.errorCode ?? null,
      errorMessage: record.errorMessage ?? null,
    },
    service: isS3 ? 's3' : 'kms',
    caller,
    region: record.awsRegion,
    partition: partitionOfRecord(record),
    bucket,
    key,
    copySource: COPY_EVENTS.has(record.eventName) ? parseCopySource(headers['x-amz-copy-source']) : null,
    kmsKeyId,
    headers,
    sentAclHeaders: Object.keys(headers).some((h) => ACL_HEADERS.test(h)),
    multipart: MULTIPART_EVENTS.has(record.eventName),
    vpcEndpointId,
    sourceIp,
    userAgent: record.userAgent ?? null,
    context: buildRequestContext({
      record,
      caller,
      headers,
      sourceIp,
      vpcEndpointId,
      bucketAccountId: bucketAccountOf(record, bucket),
      s3EncryptionContext,
    }),
    blame,
    sharedEventId: record.sharedEventID ?? null,
    recipientAccountId: record.recipientAccountId ?? null,
  };
}
