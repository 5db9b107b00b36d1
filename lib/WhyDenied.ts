/**
 * why-denied as one construct: EventBridge rules for denied S3 writes and the KMS calls they need → an
 * encrypted SQS queue with a dead-letter queue → a Lambda that collects, diagnoses, suppresses duplicates
 * and publishes to SNS and Slack; optionally the trail that makes S3 data events reach EventBridge.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type AlertDestination, checkedAlertRoutes } from '../lambda/settings/alertRoutes';
import { ORGANIZATION_ID } from '../lambda/settings/organizationIds';
import { COLLECTOR_ACTIONS, CROSS_ACCOUNT_ACTION } from '../lambda/collect/permissions';
import { LOOKUP_EVENTS_PER_SECOND } from '../lambda/collect/RateLimiter';
import { DenialTrail, type TrailBuckets } from './DenialTrail';
import { denialRules } from './denialRules';
import { checkRemediationProps, RemediationApproval, type RemediationProps } from './RemediationApproval';
import { ServiceAlarms } from './ServiceAlarms';
import { serviceFunction } from './serviceFunction';
import { allowTableKey } from './tableKeyGrant';

export type { TrailBuckets } from './DenialTrail';

/** The bus in the central account that an organization's members forward their denials to. */
export const ORGANIZATION_BUS_NAME = 'why-denied-denials';

export interface WhyDeniedProps {
  /**
   * Buckets whose upload data events a trail created here logs. S3 data events reach EventBridge only when
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
   * Also publish each diagnosis to the topic in Amazon Q Developer in chat applications' custom-notification
   * format, with the message attribute `format` = `amazon-q-custom-notification` (the text message carries
   * `why-denied-text`): give the chat configuration's subscription a filter policy on it.
   * @default false
   */
  readonly amazonQNotifications?: boolean;
  /**
   * How long repeats of one denial (same principal, bucket, action, layer, statement) are held back.
   * @default Duration.hours(1)
   */
  readonly suppressionWindow?: Duration;
  /**
   * A read-only role with this name in other accounts (`WhyDeniedReadRole`) lets the collectors read them.
   * @default - other accounts' layers are reported as not visible
   */
  readonly crossAccountRoleName?: string;
  /**
   * The external id the read-only roles require.
   * @default - `why-denied-<this account id>`
   */
  readonly crossAccountExternalId?: string;
  /**
   * The accounts whose read-only role may be assumed. Account ids in a record are the caller's to choose.
   * @default - the accounts of this account's organization (aws:ResourceOrgID equals aws:PrincipalOrgID)
   */
  readonly crossAccountIds?: readonly string[];
  /**
   * Owners of buckets in other accounts, by bucket name: CloudTrail hides the bucket owner in the caller's
   * copy of a cross-account record. Without an entry the owner is looked up, or reported as unknown.
   * @default - none
   */
  readonly bucketOwners?: Readonly<Record<string, string>>;
  /**
   * The most function instances the queue may run at once (2 at least). It bounds the AWS reads of a
   * burst, and shares the account's 2 CloudTrail LookupEvents per second between the instances.
   * @default 4
   */
  readonly maxConcurrency?: number;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The name of the diagnoser's role, which the read-only roles elsewhere trust.
   * @default - `<stack name>-diagnoser-<region>`
   */
  readonly diagnoserRoleName?: string;
  /**
   * The organization (`o-…`) whose member accounts forward their denials here: an event bus named
   * `ORGANIZATION_BUS_NAME` accepts PutEvents from its accounts only, and the same rules route from it.
   * @default - only this account's own denials
   */
  readonly organizationId?: string;
  /**
   * Where an account's or an OU's alerts go (a key is a 12-digit account, `ou-…` or `r-…`): its own SNS
   * topic and/or Slack webhook secret. The denial's caller account, then its bucket owner's, then the OUs above
   * the caller's account, nearest first, are tried in turn; a kind of channel a route does not name, and a
   * denial no route matches, go to the default channels.
   * @default - every alert to the default channels
   */
  readonly alertRoutes?: Readonly<Record<string, AlertDestination>>;
  /**
   * Approval-gated remediation: an alert whose fix is proved safe carries "Apply fix"; a listed approver's
   * click has the remediator apply exactly that plan to a listed target, verify it, and offer "Roll back".
   * Needs the Slack webhook (the buttons live in Slack).
   * @default - no remediation: the service only reads
   */
  readonly remediation?: RemediationProps;
}

const FUNCTION_TIMEOUT = Duration.seconds(60);
const BATCHING_WINDOW = Duration.seconds(10);

export class WhyDenied extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly function: NodejsFunction;
  public readonly diagnoserRole: iam.Role;
  public readonly table: dynamodb.Table;
  public readonly topic: sns.Topic | undefined;
  public readonly alarmTopic: sns.Topic;
  public readonly trail: cloudtrail.Trail | undefined;
  public readonly rules: events.Rule[];
  /** Where member accounts forward their denials, with `organizationId`. */
  public organizationBus?: events.EventBus;
  public readonly alarms: cloudwatch.Alarm[];
  public readonly serviceAlarms: ServiceAlarms;
  public readonly remediation: RemediationApproval | undefined;

  constructor(scope: Construct, id: string, props: WhyDeniedProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const publishToSns = props.publishToSns ?? true;
    if (!publishToSns && !props.slackWebhookSecretName) {
      throw new Error('WhyDenied has nowhere to publish: set slackWebhookSecretName, or leave publishToSns on.');
    }
    const trailBuckets = props.trailBuckets ?? { kind: 'all' };
    if (trailBuckets.kind === 'some' && trailBuckets.bucketNames.length === 0) {
      throw new Error("WhyDenied trailBuckets lists no bucket: name at least one, or use { kind: 'none' }.");
    }
    const maxConcurrency = props.maxConcurrency ?? 4;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
      throw new Error('WhyDenied maxConcurrency must be a whole number from 2 to 1000 (the limits of an SQS event source).');
    }
    const suppressionWindow = props.suppressionWindow ?? Duration.hours(1);
    if (suppressionWindow.toSeconds() < 60) throw new Error('WhyDenied suppressionWindow must be at least one minute.');
    if (props.crossAccountIds && !props.crossAccountRoleName) {
      throw new Error('WhyDenied crossAccountIds needs crossAccountRoleName: name the read-only role to assume there.');
    }
    if (props.organizationId && !props.crossAccountRoleName) {
      throw new Error('WhyDenied organizationId needs crossAccountRoleName: the read-only role the member stacks create.');
    }
    if (props.organizationId && !ORGANIZATION_ID.test(props.organizationId)) {
      throw new Error(`WhyDenied organizationId ${JSON.stringify(props.organizationId)} is not an organization id (o-…).`);
    }
    if (props.amazonQNotifications && !publishToSns) {
      throw new Error('WhyDenied amazonQNotifications needs publishToSns: Amazon Q reads the diagnoses topic.');
    }
    if (props.remediation && !props.slackWebhookSecretName) {
      throw new Error('WhyDenied remediation needs slackWebhookSecretName: approvals are given on the Slack alert.');
    }
    if (props.remediation) checkRemediationProps(props.remediation);
    const externalId = props.crossAccountExternalId ?? `why-denied-${stack.account}`;

    const key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'why-denied: queues, topics and table',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // EventBridge sends to the encrypted queues. No aws:SourceArn condition here: it is scoped on the queue
    // policy, and a KMS condition EventBridge does not satisfy would drop every event without a trace.
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeSendsToQueues',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

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
      // AWS: at least six times the function timeout, plus the batching window.
      // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
      visibilityTimeout: Duration.seconds(6 * FUNCTION_TIMEOUT.toSeconds() + BATCHING_WINDOW.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    // An event EventBridge cannot deliver (queue unavailable, key refused) goes to the dead-letter queue
    // after retries, instead of being dropped. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
    const toQueue = () =>
      new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 185, maxEventAge: Duration.hours(24) });
    this.rules = denialRules(this, { idPrefix: '', target: toQueue });
    if (props.organizationId) this.rules.push(...this.organizationRules(props.organizationId, toQueue));
    // CDK leaves out the aws:SourceArn condition on an encrypted queue's policy (to avoid a dependency cycle
    // through the key); this Deny puts the scope back: EventBridge may send here for these rules only.
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheseRules',
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnNotEquals: { 'aws:SourceArn': this.rules.map((rule) => rule.ruleArn) } },
      }),
    );

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
    const diagnoserRoleName = props.diagnoserRoleName ?? diagnoserRoleNameOf(stack.stackName, stack.region);
    this.diagnoserRole = new iam.Role(this, 'DiagnoserRole', {
      roleName: diagnoserRoleName,
      description: 'why-denied diagnoser: reads the policy layers of denied S3 uploads, never writes them',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });
    const logGroup = new logs.LogGroup(this, 'FunctionLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.function = serviceFunction(this, 'Function', {
      entry: 'lambda/handler/handler.ts',
      memorySize: 512,
      timeout: FUNCTION_TIMEOUT,
      role: this.diagnoserRole,
      logGroup,
      environment: {
        ACCOUNT_ID: stack.account,
        SUPPRESSION_TABLE_NAME: this.table.tableName,
        SUPPRESSION_WINDOW_SECONDS: String(suppressionWindow.toSeconds()),
        // A claim outlives one invocation, so a killed one's alert is taken over by the next repeat.
        CLAIM_LEASE_SECONDS: String(FUNCTION_TIMEOUT.toSeconds() + 30),
        // The account's LookupEvents limit, shared by every instance the queue may run.
        LOOKUP_EVENTS_PER_SECOND: String(LOOKUP_EVENTS_PER_SECOND / maxConcurrency),
        POWERTOOLS_SERVICE_NAME: 'why-denied',
        POWERTOOLS_METRICS_NAMESPACE: 'WhyDenied',
        ...(this.topic ? { TOPIC_ARN: this.topic.topicArn } : {}),
        ...(props.amazonQNotifications ? { AMAZON_Q_NOTIFICATIONS: 'true' } : {}),
        ...(props.slackWebhookSecretName ? { SLACK_WEBHOOK_SECRET_NAME: props.slackWebhookSecretName } : {}),
        ...(props.crossAccountRoleName
          ? { CROSS_ACCOUNT_ROLE_NAME: props.crossAccountRoleName, CROSS_ACCOUNT_EXTERNAL_ID: externalId }
          : {}),
        ...(props.bucketOwners ? { BUCKET_OWNERS: JSON.stringify(props.bucketOwners) } : {}),
        // The members forward their copies here: a cross-account call arrives twice, once from each account.
        ...(props.organizationId ? { ORGANIZATION_ID: props.organizationId } : {}),
        ...(props.alertRoutes ? { ALERT_ROUTES: JSON.stringify(checkedAlertRoutes(props.alertRoutes)) } : {}),
      },
    });
    this.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, maxBatchingWindow: BATCHING_WINDOW, reportBatchItemFailures: true, maxConcurrency }),
    );
    this.function.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadPolicyLayers', actions: [...COLLECTOR_ACTIONS], resources: ['*'] }));
    if (props.crossAccountRoleName) this.allowReadingOtherAccounts(props.crossAccountRoleName, props.crossAccountIds);
    this.table.grant(
      this.function,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:PutItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:UpdateItem',
    );
    // Granted here, not left to the topic's grant.
    allowTableKey(this.function, key);
    this.topic?.grantPublish(this.function);
    secret?.grantRead(this.function);
    this.allowRoutedDelivery(props.alertRoutes ?? {});

    this.trail = trailBuckets.kind === 'none' ? undefined : new DenialTrail(this, 'Trail', { buckets: trailBuckets }).trail;
    this.serviceAlarms = new ServiceAlarms(this, 'Alarms', {
      key,
      function: this.function,
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
    });
    this.alarmTopic = this.serviceAlarms.topic;
    this.remediation = props.remediation
      ? new RemediationApproval(this, 'Remediation', {
          ...props.remediation,
          key,
          diagnoser: this.function,
          alarmTopic: this.alarmTopic,
          logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
        })
      : undefined;
    this.alarms = [...this.serviceAlarms.alarms, ...(this.remediation?.alarms ?? [])];
    this.addOutputs();
    this.acknowledgeFindings(props.crossAccountIds ? undefined : props.crossAccountRoleName);
  }

  /**
   * An organization trail's events reach each member account's own default bus, in the call's region; the
   * members' forwarding rules (WhyDeniedMember) send them here. The bus takes them from the organization's
   * accounts only, and the same rules route them from it.
   * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
   */
  private organizationRules(organizationId: string, toQueue: () => events.IRuleTarget): events.Rule[] {
    this.organizationBus = new events.EventBus(this, 'OrganizationBus', { eventBusName: ORGANIZATION_BUS_NAME });
    // The L1, not addToResourcePolicy: the L2's policy renders a deprecated property, which warns at every synth.
    new events.CfnEventBusPolicy(this, 'OrganizationBusPolicy', {
      eventBusName: this.organizationBus.eventBusName,
      statementId: 'OrganizationAccountsSendDenials',
      statement: {
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: this.organizationBus.eventBusArn,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
      },
    });
    return denialRules(this, { idPrefix: 'Organization', eventBus: this.organizationBus, target: toQueue });
  }

  /** Publish to each routed topic, read each routed webhook; a topic encrypted with its own key needs that key's grant too. */
  private allowRoutedDelivery(routes: Readonly<Record<string, AlertDestination>>): void {
    const destinations = Object.values(routes);
    const topics = [...new Set(destinations.flatMap((d) => (d.topicArn ? [d.topicArn] : [])))];
    const secrets = [...new Set(destinations.flatMap((d) => (d.slackWebhookSecretName ? [d.slackWebhookSecretName] : [])))];
    topics.forEach((arn, i) => sns.Topic.fromTopicArn(this, `RoutedTopic${i}`, arn).grantPublish(this.function));
    secrets.forEach((name, i) => secretsmanager.Secret.fromSecretNameV2(this, `RoutedWebhook${i}`, name).grantRead(this.function));
  }

  /**
   * `sts:AssumeRole` on the read-only role in the listed accounts, or else in this organization's
   * accounts only: the account ids come from records an attacker can shape.
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
   */
  private allowReadingOtherAccounts(roleName: string, accountIds: readonly string[] | undefined): void {
    const partition = Stack.of(this).partition;
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadOtherAccounts',
        actions: [CROSS_ACCOUNT_ACTION],
        resources: accountIds
          ? accountIds.map((account) => `arn:${partition}:iam::${account}:role/${roleName}`)
          : [`arn:${partition}:iam::*:role/${roleName}`],
        ...(accountIds ? {} : { conditions: { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } } }),
      }),
    );
  }

  private addOutputs(): void {
    // Outputs keep the names the README gives (QueueUrl, …), not CDK's path-and-hash logical ids.
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description }).overrideLogicalId(id);
    output('QueueUrl', this.queue.queueUrl, 'Denials waiting to be diagnosed');
    output('DeadLetterQueueUrl', this.deadLetterQueue.queueUrl, 'Denials that could not be delivered or diagnosed');
    if (this.topic) output('DiagnosesTopicArn', this.topic.topicArn, 'Subscribe here to receive diagnoses');
    output('AlarmTopicArn', this.alarmTopic.topicArn, 'Subscribe here to hear when the service itself fails');
    output('SuppressionTableName', this.table.tableName, 'One alert per denial per window');
    output('DashboardName', this.serviceAlarms.dashboard.dashboardName, 'The service at a glance');
  }

  /** Each cdk-nag finding this design accepts, with the reason a reviewer needs. */
  private acknowledgeFindings(anyAccountRoleName: string | undefined): void {
    const role = this.diagnoserRole;
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
      reason: "CDK's grant to publish to the SNS topic encrypted with this construct's own key; scoped to that key.",
    });
    if (anyAccountRoleName) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${anyAccountRoleName}]`,
        reason:
          'Only the named read-only role, and only in accounts of this organization (aws:ResourceOrgID = aws:PrincipalOrgID); crossAccountIds lists them instead.',
      });
    }
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The service is built and tested for Node.js 22 (esbuild target node22); moving runtime is a deliberate upgrade.',
    });
  }
}

/** Unique per stack and region, as IAM role names are per account; the read-only roles elsewhere name it. */
export function diagnoserRoleNameOf(stackName: string, region: string): string {
  const name = `${stackName}-diagnoser-${region}`;
  if (!Token.isUnresolved(name) && name.length > 64) {
    throw new Error(`WhyDenied diagnoser role name ${name} is longer than IAM's 64 characters: set diagnoserRoleName.`);
  }
  return name;
}
