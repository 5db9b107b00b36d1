/**
 * What the rules match: CloudTrail records of failed S3 writes, and of failed KMS calls whose encryption
 * context names an S3 object or bucket. `errorCode` exists only on failed calls. The bucket owner's copy of
 * a cross-account record (`userIdentity.type = AWSAccount`) matches as well: nothing here filters on identity.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
import type { EventPattern } from 'aws-cdk-lib/aws-events';
import { S3_WRITE_EVENTS } from '../lambda/events/cloudTrailRecord';

export const deniedS3WritePattern: EventPattern = {
  source: ['aws.s3'],
  detailType: ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['s3.amazonaws.com'],
    eventName: [...S3_WRITE_EVENTS],
    errorCode: [{ exists: true }],
  },
};

export const deniedKmsCallPattern: EventPattern = {
  source: ['aws.kms'],
  detailType: ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['kms.amazonaws.com'],
    eventName: [{ prefix: 'GenerateDataKey' }, 'Encrypt', 'Decrypt'],
    errorCode: [{ exists: true }],
    requestParameters: { encryptionContext: { 'aws:s3:arn': [{ exists: true }] } },
  },
};
