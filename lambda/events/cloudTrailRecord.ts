/**
 * The parts of a CloudTrail record we rely on, checked before use. Fields we do not read are dropped,
 * not copied: a record carries many, and walking them all was a measurable share of a diagnosis.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import { z } from 'zod';

const sessionIssuer = z.object({
  type: z.string().optional(),
  principalId: z.string().optional(),
  arn: z.string().optional(),
  accountId: z.string().optional(),
  userName: z.string().optional(),
});

const userIdentitySchema = z.object({
  type: z.string(),
  principalId: z.string().optional(),
  arn: z.string().optional(),
  accountId: z.string().optional(),
  accessKeyId: z.string().optional(),
  userName: z.string().optional(),
  invokedBy: z.string().optional(),
  sessionContext: z
    .object({
      sessionIssuer: sessionIssuer.optional(),
      attributes: z.looseObject({ creationDate: z.string().optional(), mfaAuthenticated: z.string().optional() }).optional(),
    })
    .optional(),
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
  eventVersion: z.string().optional(),
  userIdentity: userIdentitySchema,
  eventTime: z.string(),
  eventSource: z.string(),
  eventName: z.string(),
  awsRegion: z.string(),
  sourceIPAddress: z.string().optional(),
  userAgent: z.string().optional(),
  errorCode: z.string().nullish(),
  errorMessage: z.string().nullish(),
  requestParameters: jsonObject.nullish(),
  additionalEventData: jsonObject.nullish(),
  eventID: z.string(),
  recipientAccountId: z.string().optional(),
  vpcEndpointId: z.string().optional(),
  resources: z.array(z.object({ ARN: z.string().optional(), accountId: z.string().optional(), type: z.string().optional() })).optional(),
  tlsDetails: z.object({ tlsVersion: z.string().optional(), cipherSuite: z.string().optional() }).nullish(),
});

export type CloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;

export const eventBridgeEnvelopeSchema = z.looseObject({
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  id: z.string().optional(),
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

export function isKmsEventInScope(eventName: string): boolean {
  return eventName.startsWith('GenerateDataKey') || eventName === 'Encrypt' || eventName === 'Decrypt';
}
