/**
 * What the rules match: CloudTrail records of failed S3 writes, and of failed KMS calls whose encryption
 * context names an S3 object or bucket, with an error code that is a denial (lambda/events/denialErrorCodes.ts). The bucket owner's copy of
 * a cross-account record (`userIdentity.type = AWSAccount`) matches as well: nothing here filters on identity.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
import type { EventPattern } from 'aws-cdk-lib/aws-events';
import { NETWORK_ACTIVITY, S3_WRITE_EVENTS } from '../lambda/events/cloudTrailRecord';
import { DENIAL_ERROR_CODES, S3_KMS_ERROR_PREFIX, VPC_ENDPOINT_DENIAL } from '../lambda/events/denialErrorCodes';

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
 * A VPC endpoint's own record of a call its policy refused: a network activity event, in the endpoint
 * owner's account and the call's region, logged only by a trail that selects it (DenialTrail does). S3
 * logs no data event of such a request, so this is the only trace it leaves.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html
 */
export const refusedAtEndpointPattern: EventPattern = {
  detailType: ['AWS Network Activity Event via CloudTrail'],
  detail: {
    eventCategory: [NETWORK_ACTIVITY],
    eventSource: ['s3.amazonaws.com', 'kms.amazonaws.com'],
    eventName: [...S3_WRITE_EVENTS, { prefix: 'GenerateDataKey' }, 'Encrypt', 'Decrypt'],
    errorCode: [VPC_ENDPOINT_DENIAL],
  },
};

/**
 * KMS cryptographic calls are read-only management events; a rule receives them only in this state.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
export const KMS_RULE_STATE = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
