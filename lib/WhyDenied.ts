/**
 * why-denied as one construct: EventBridge rules for denied S3 writes and the KMS calls they need → an
 * encrypted SQS queue with a dead-letter queue → a Lambda that collects, diagnoses, suppresses duplicates
 * and publishes to SNS and Slack; optionally the trail that makes S3 data events reach EventBridge.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { COLLECTOR_ACTIONS, CROSS_ACCOUNT_ACTION } from '../lambda/collect/permissions';
import { deniedKmsCallPattern, deniedS3WritePattern } from './eventPatterns';

/** Which buckets' write data events the construct's own trail logs. */
export type TrailBuckets =
  { readonly kind: 'all' } | { readonly kind: 'some'; readonly bucketNames: readonly string[] } | { readonly kind: 'none' };

export interface WhyDeniedProps {
  /**
   * Buckets whose write data events a trail created here logs. S3 data events reach EventBridge only when
   * a trail logs them; choose `none` when the account already has such a trail.
   * @default - all buckets ({ kind: 'all' })
   */
  readonly trailBuckets?: TrailBuckets;
  /**
   * Name of a Secrets Manager secret holding a Slack incoming-webhook URL.
   * @default - no Slack messages
   */
  readonly slackWebhookSecretName?: string;
  /**
   * Publish diagnoses to an SNS topic created here (KMS-encrypted).
   * @default true
   */
  readonly publishToSns?: boolean;
  /**
   * How long repeats of one denial (same principal, bucket, action, layer, statement) are held back.
   * @default Duration.hours(1)
   */
  readonly suppressionWindow?: Duration;
  /**
   * A read-only role with this name in other accounts lets the collectors read them.
   * @default - other accounts' layers are reported as not visible
   */
  readonly crossAccountRoleName?: string;
}

export class WhyDenied extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly function: NodejsFunction;
  public readonly table: dynamodb.Table;
  public readonly topic: sns.Topic | undefined;
  public readonly trail: cloudtrail.Trail | undefined;
  public readonly rules: events.Rule[];
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: WhyDeniedProps = {}) {
    super(scope, id);
    const publishToSns = props.publishToSns ?? true;
    if (!publishToSns && !props.slackWebhookSecretName) {
      throw new Error('WhyDenied has nowhere to publish: set slackWebhookSecretName, or leave publishToSns on.');
    }
    const trailBuckets = props.trailBuckets ?? { kind: 'all' };
    if (trailBuckets.kind === 'some' && trailBuckets.bucketNames.length === 0) {
      throw new Error("WhyDenied trailBuckets lists no bucket: name at least one, or use { kind: 'none' }.");
    }
    const suppressionWindow = props.suppressionWindow ?? Duration.hours(1);
    const timeout = Duration.seconds(60);

    const key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'why-denied: queues, topic and table',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Alarms publish to the encrypted topic, and EventBridge sends to the encrypted queue.
    key.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
    key.grantEncryptDecrypt(new iam.ServicePrincipal('events.amazonaws.com'));

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      visibilityTimeout: timeout.plus(Duration.seconds(timeout.toSeconds() * 5)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    this.rules = [
      new events.Rule(this, 'DeniedS3Writes', { eventPattern: deniedS3WritePattern, targets: [new targets.SqsQueue(this.queue)] }),
      new events.Rule(this, 'DeniedKmsCalls', { eventPattern: deniedKmsCallPattern, targets: [new targets.SqsQueue(this.queue)] }),
    ];
    // KMS cryptographic calls are read-only management events; a rule receives them only in this state.
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
    (this.rules[1]?.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

    this.table = new dynamodb.Table(this, 'Suppression', {
      partitionKey: { name: 'fingerprint', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.topic = publishToSns ? new sns.Topic(this, 'Diagnoses', { masterKey: key, enforceSSL: true }) : undefined;

    const secret = props.slackWebhookSecretName
      ? secretsmanager.Secret.fromSecretNameV2(this, 'SlackWebhook', props.slackWebhookSecretName)
      : undefined;
    this.function = new NodejsFunction(this, 'Function', {
      entry: resolvePath('lambda/handler/handler.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout,
      tracing: lambda.Tracing.ACTIVE,
      // The Node.js 22 runtime ships AWS SDK v3; bundling its clients took the bundle from ~0.3 MB to 2.8 MB.
      bundling: { minify: true, sourceMap: true, target: 'node22', format: OutputFormat.CJS, externalModules: ['@aws-sdk/*'] },
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ACCOUNT_ID: Stack.of(this).account,
        SUPPRESSION_TABLE_NAME: this.table.tableName,
        SUPPRESSION_WINDOW_SECONDS: String(suppressionWindow.toSeconds()),
        POWERTOOLS_SERVICE_NAME: 'why-denied',
        POWERTOOLS_METRICS_NAMESPACE: 'WhyDenied',
        ...(this.topic ? { TOPIC_ARN: this.topic.topicArn } : {}),
        ...(props.slackWebhookSecretName ? { SLACK_WEBHOOK_SECRET_NAME: props.slackWebhookSecretName } : {}),
        ...(props.crossAccountRoleName ? { CROSS_ACCOUNT_ROLE_NAME: props.crossAccountRoleName } : {}),
      },
    });
    this.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, maxBatchingWindow: Duration.seconds(10), reportBatchItemFailures: true }),
    );
    this.function.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadPolicyLayers', actions: [...COLLECTOR_ACTIONS], resources: ['*'] }));
    if (props.crossAccountRoleName) {
      this.function.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadOtherAccounts',
          actions: [CROSS_ACCOUNT_ACTION],
          resources: [`arn:${Stack.of(this).partition}:iam::*:role/${props.crossAccountRoleName}`],
        }),
      );
    }
    this.table.grant(this.function, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
    this.topic?.grantPublish(this.function);
    secret?.grantRead(this.function);

    this.trail = trailBuckets.kind === 'none' ? undefined : this.createTrail(trailBuckets);
    this.alarms = this.createAlarms();
    this.acknowledgeFindings();
  }

  /** Each cdk-nag finding this design accepts, with the reason a reviewer needs. */
  private acknowledgeFindings(): void {
    const role = this.function.role;
    if (!role) return;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch Logs.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The collectors read whichever role, user, bucket, key and endpoint a denied request names, unknown at deploy time; the actions are a fixed list of read-only Get/List/Describe/LookupEvents calls (lambda/collect/permissions.ts).',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        "CDK's grant to publish to the SNS topic and write the table, both encrypted with this construct's own key; scoped to that key.",
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
      reason: "CDK's grant to use this construct's own key for the encrypted table; scoped to that key.",
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The service is built and tested for Node.js 22 (esbuild target node22); moving runtime is a deliberate upgrade.',
    });
  }

  /**
   * A trail for S3 write data events (advanced event selectors). Its own log buckets are left out of its
   * data events, or the trail would log its own deliveries.
   * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
   */
  private createTrail(buckets: TrailBuckets): cloudtrail.Trail {
    const accessLogs = new s3.Bucket(this, 'TrailAccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logBucket = new s3.Bucket(this, 'TrailLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: logBucket,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
    });
    const objectArns =
      buckets.kind === 'some'
        ? [{ Field: 'resources.ARN', StartsWith: buckets.bucketNames.map((name) => `arn:${Stack.of(this).partition}:s3:::${name}/`) }]
        : [{ Field: 'resources.ARN', NotStartsWith: [`${logBucket.bucketArn}/`, `${accessLogs.bucketArn}/`] }];
    // Data events only: management events reach EventBridge without a trail, and a second copy of them is
    // billed ($2.00 per 100,000) in any account that already has a trail. https://aws.amazon.com/cloudtrail/pricing/
    (trail.node.defaultChild as cloudtrail.CfnTrail).addPropertyOverride('AdvancedEventSelectors', [
      {
        Name: 'S3 object writes',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          { Field: 'readOnly', Equals: ['false'] },
          ...objectArns,
        ],
      },
    ]);
    return trail;
  }

  private createAlarms(): cloudwatch.Alarm[] {
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string) =>
      new cloudwatch.Alarm(this, id, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
    const alarms = [
      alarm(
        'DeadLetters',
        this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        'Denials that could not be diagnosed or published are waiting in the dead-letter queue.',
      ),
      alarm('Errors', this.function.metricErrors({ period: Duration.minutes(5) }), 'The why-denied function failed.'),
      alarm('Throttles', this.function.metricThrottles({ period: Duration.minutes(5) }), 'The why-denied function was throttled.'),
    ];
    if (this.topic) for (const a of alarms) a.addAlarmAction(new cloudwatchActions.SnsAction(this.topic));
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `why-denied-${Stack.of(this).region}`.replace(/[^\w-]/g, '') || undefined,
    });
    const count = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'WhyDenied',
        metricName,
        statistic: 'Sum',
        period: Duration.minutes(5),
        dimensionsMap: { service: 'why-denied' },
      });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Diagnoses, suppressed, publish failures',
        left: [count('Diagnoses'), count('Suppressed'), count('PublishFailures')],
      }),
      new cloudwatch.GraphWidget({
        title: 'Queue',
        left: [this.queue.metricApproximateNumberOfMessagesVisible(), this.deadLetterQueue.metricApproximateNumberOfMessagesVisible()],
      }),
    );
    return alarms;
  }
}

function resolvePath(relative: string): string {
  // Compiled to dist/lib, run from source by ts-jest: both resolve against the project root.
  const root = __dirname.includes(`${'/dist/'}`) ? `${__dirname}/../..` : `${__dirname}/..`;
  return `${root}/${relative}`;
}
