/**
 * What the rules match: CloudTrail records of failed S3 writes, and of failed KMS calls whose encryption
 * context names an S3 object or bucket, with an error code that is a denial (lambda/events/denialErrorCodes.ts). The bucket owner's copy of
 * a cross-account record (`userIdentity.type = AWSAccount`) matches as well: nothing here filters on identity.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
import type { EventPattern } from 'aws-cdk-lib/aws-events';
import { S3_WRITE_EVENTS } from '../lambda/events/cloudTrailRecord';
import { DENIAL_ERROR_CODES, S3_KMS_ERROR_PREFIX } from '../lambda/events/denialErrorCodes';

const deniedErrorCode = [...DENIAL_ERROR_CODES, { prefix: S3_KMS_ERROR_PREFIX }];

export const deniedS3WritePattern: EventPattern = {
  source: ['aws.s3'],
  detailType: ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['s3.amazonaws.com'],
    eventName: [...S3_WRITE_EVENTS],
    errorCode: deniedErrorCode,
  },
};

export const deniedKmsCallPattern: EventPattern = {
  source: ['aws.kms'],
  detailType: ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['kms.amazonaws.com'],
    eventName: [{ prefix: 'GenerateDataKey' }, 'Encrypt', 'Decrypt'],
    errorCode: deniedErrorCode,
    requestParameters: { encryptionContext: { 'aws:s3:arn': [{ exists: true }] } },
  },
};

/**
 * KMS cryptographic calls are read-only management events; a rule receives them only in this state.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
export const KMS_RULE_STATE = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
