/**
 * A trail for the S3 writes why-denied diagnoses, as data events only (advanced event selectors), and for
 * the calls a VPC endpoint's policy refused, as network activity events. Its own log buckets are left out
 * of its data events, or the trail would log its own deliveries.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { NETWORK_ACTIVITY, S3_WRITE_EVENTS } from '../lambda/events/cloudTrailRecord';
import { VPC_ENDPOINT_DENIAL } from '../lambda/events/denialErrorCodes';

/** Which buckets' write data events the construct's own trail logs. */
export type TrailBuckets =
  { readonly kind: 'all' } | { readonly kind: 'some'; readonly bucketNames: readonly string[] } | { readonly kind: 'none' };

export interface DenialTrailProps {
  readonly buckets: Exclude<TrailBuckets, { kind: 'none' }>;
}

export class DenialTrail extends Construct {
  public readonly trail: cloudtrail.Trail;
  public readonly logBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DenialTrailProps) {
    super(scope, id);
    // S3 log delivery granted by a bucket policy, not by the legacy LogDeliveryWrite ACL (cfn-lint W3045),
    // so the access-log bucket can have ACLs disabled like every other bucket here.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logBucket = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: this.logBucket,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
    });
    const partition = Stack.of(this).partition;
    const objectArns =
      props.buckets.kind === 'some'
        ? { Field: 'resources.ARN', StartsWith: props.buckets.bucketNames.map((name) => `arn:${partition}:s3:::${name}/`) }
        : { Field: 'resources.ARN', NotStartsWith: [`${this.logBucket.bucketArn}/`, `${accessLogs.bucketArn}/`] };
    const cfnTrail = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    // EventSelectors and AdvancedEventSelectors are exclusive in CloudFormation; CDK emits an empty list of the former.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudtrail-trail.html
    cfnTrail.addPropertyDeletionOverride('EventSelectors');
    // Data events only, and only the upload calls the engine diagnoses: management events reach EventBridge
    // without a trail, a second copy of them is billed ($2.00 per 100,000), and every DeleteObject or tagging
    // call logged would cost $0.10 per 100,000 for nothing. https://aws.amazon.com/cloudtrail/pricing/
    cfnTrail.addPropertyOverride('AdvancedEventSelectors', [
      {
        Name: 'S3 object uploads',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          { Field: 'readOnly', Equals: ['false'] },
          { Field: 'eventName', Equals: [...S3_WRITE_EVENTS] },
          objectArns,
        ],
      },
      // S3 and KMS log nothing of a call a VPC endpoint's policy refuses; the endpoint owner's network
      // activity events do, and only refusals are selected (billed as data events).
      ...['s3.amazonaws.com', 'kms.amazonaws.com'].map((source) => ({
        Name: `${source} calls a VPC endpoint refused`,
        FieldSelectors: [
          { Field: 'eventCategory', Equals: [NETWORK_ACTIVITY] },
          { Field: 'eventSource', Equals: [source] },
          { Field: 'errorCode', Equals: [VPC_ENDPOINT_DENIAL] },
        ],
      })),
    ]);
  }
}
