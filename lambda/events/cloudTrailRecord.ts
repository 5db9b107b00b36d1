/**
 * The parts of a CloudTrail record we rely on, checked before use. Fields we do not read are dropped,
 * not copied: a record carries many, and walking them all was a measurable share of a diagnosis.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
// zod/mini: the same checks as zod's full build, at a fraction of the Lambda bundle (tree-shakable functions).
import * as z from 'zod/mini';
import { VPC_ENDPOINT_DENIAL } from './denialErrorCodes';

const text = z.string();
const optionalText = z.optional(text);

const sessionIssuer = z.object({
  type: optionalText,
  principalId: optionalText,
  arn: optionalText,
  accountId: optionalText,
  userName: optionalText,
});

// Exported trails and detection fixtures leave out fields a live trail always writes (eventID, eventTime,
// userIdentity.type, recipientAccountId); a record is diagnosed whenever its request can still be rebuilt.
const userIdentitySchema = z.object({
  type: optionalText,
  principalId: optionalText,
  arn: optionalText,
  accountId: optionalText,
  accessKeyId: optionalText,
  userName: optionalText,
  invokedBy: optionalText,
  sessionContext: z.optional(
    z.object({
      sessionIssuer: z.optional(sessionIssuer),
      attributes: z.optional(z.looseObject({ creationDate: optionalText, mfaAuthenticated: optionalText })),
      sourceIdentity: optionalText,
    }),
  ),
});

/**
 * A JSON object whose keys are read one by one, with their own checks, where they are used: validating
 * every key of requestParameters up front cost a third of parsing a record.
 */
const jsonObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'expected an object',
);

export const cloudTrailRecordSchema = z.object({
  eventVersion: optionalText,
  userIdentity: userIdentitySchema,
  eventTime: optionalText,
  eventSource: text,
  eventName: text,
  awsRegion: text,
  sourceIPAddress: optionalText,
  userAgent: optionalText,
  errorCode: z.nullish(text),
  errorMessage: z.nullish(text),
  requestParameters: z.nullish(jsonObject),
  additionalEventData: z.nullish(jsonObject),
  eventID: optionalText,
  requestID: optionalText,
  sharedEventID: optionalText,
  recipientAccountId: optionalText,
  vpcEndpointId: optionalText,
  // Network activity events (a VPC endpoint's own record of a call it refused) say so in these two.
  eventCategory: optionalText,
  eventType: optionalText,
  resources: z.optional(z.array(z.object({ ARN: optionalText, accountId: optionalText, type: optionalText }))),
  tlsDetails: z.nullish(z.object({ tlsVersion: optionalText, cipherSuite: optionalText })),
});

export type CloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;

export const eventBridgeEnvelopeSchema = z.looseObject({
  // A network activity event (a VPC endpoint's refusal) comes under its own detail type.
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
  'detail-type': z.enum(['AWS API Call via CloudTrail', 'AWS Network Activity Event via CloudTrail']),
  id: optionalText,
  detail: z.unknown(),
});

export const logFileSchema = z.looseObject({ Records: z.array(z.unknown()) });

/** S3 writes and the KMS calls an SSE-KMS upload needs: the only records diagnosed. */
export const S3_WRITE_EVENTS = new Set([
  'PutObject',
  'CopyObject',
  'CreateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
]);
export const MULTIPART_EVENTS = new Set(['CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload']);
export const COPY_EVENTS = new Set(['CopyObject', 'UploadPartCopy']);

/**
 * The record a VPC endpoint's owner gets when the endpoint's policy refuses a call: a network activity
 * event, logged only by a trail that selects them, and without the request's parameters (no bucket, key or
 * headers), so the refused resource is not known.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html#cloudtrail-network-events
 */
export const NETWORK_ACTIVITY = 'NetworkActivity';

export function isEndpointRefusal(record: Pick<CloudTrailRecord, 'eventCategory' | 'errorCode'>): boolean {
  return record.eventCategory === NETWORK_ACTIVITY && record.errorCode === VPC_ENDPOINT_DENIAL;
}

export function isKmsEventInScope(eventName: string): boolean {
  return eventName.startsWith('GenerateDataKey') || eventName === 'Encrypt' || eventName === 'Decrypt';
}
