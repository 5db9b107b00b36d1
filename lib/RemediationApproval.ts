/**
 * Approval-gated remediation (`-c remediation=approve`): the table that keeps plans, approvals and the
 * audit trail (point-in-time recovery on, kept when the stack goes); the Slack approval endpoint (a
 * function URL: Slack cannot sign with SigV4, so Slack's own signature is the gate, checked in the code);
 * and the remediator, the only writer in the service, whose role may change only the targets listed here.
 */
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { COLLECTOR_ACTIONS } from '../lambda/collect/permissions';
import { SERVICE_METRICS } from '../lambda/handler/serviceMetrics';
import { alarmOnAny } from './alarmOnAny';
import { serviceCount } from './serviceCount';
import { serviceFunction } from './serviceFunction';
import { allowTableKey } from './tableKeyGrant';

export interface RemediationTargets {
  readonly bucketNames?: readonly string[];
  readonly roleNames?: readonly string[];
  readonly userNames?: readonly string[];
  /** Key ARNs; their key policies change only with `allowKeyPolicies`. */
  readonly keyArns?: readonly string[];
}

export interface RemediationProps {
  /** Slack user ids (`U…`, `W…`) whose click applies or rolls back a plan. */
  readonly approverSlackUserIds: readonly string[];
  /** Name of a Secrets Manager secret holding the Slack app's signing secret. */
  readonly slackSigningSecretName: string;
  /** What the remediator may change, in this account: nothing else. */
  readonly targets: RemediationTargets;
  /**
   * Let the remediator change the key policies of the listed keys.
   * @default false
   */
  readonly allowKeyPolicies?: boolean;
  /**
   * Key policy changes and grants to other accounts wait for a second, different approver.
   * @default false
   */
  readonly secondApprover?: boolean;
  /**
   * A plan older than this is never applied, whatever approved it.
   * @default 24
   */
  readonly planMaxAgeHours?: number;
  /**
   * Where the alerts are: a click counts only from this Slack workspace (team id `T…`), enterprise grid
   * (`E…`), app (`A…`) and channel (`C…`), each one that is set. User ids are unique only within a workspace.
   * @default - not checked (say so in a synth warning)
   */
  readonly slackTeamId?: string;
  readonly slackEnterpriseId?: string;
  readonly slackAppId?: string;
  readonly slackChannelId?: string;
}

/** A flood of clicks at the function URL cannot take more of the account's Lambda concurrency than this. */
export const ENDPOINT_RESERVED_CONCURRENCY = 5;

export interface RemediationApprovalProps extends RemediationProps {
  readonly key: kms.Key;
  readonly diagnoser: lambda.Function;
  readonly alarmTopic: sns.ITopic;
  readonly logRetention: logs.RetentionDays;
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

/** The plan's `target` of each listed resource, as the remediator compares it. */
export function targetArns(targets: RemediationTargets, partition: string, account: string): string[] {
  return [
    ...(targets.bucketNames ?? []).map((name) => `arn:${partition}:s3:::${name}`),
    ...(targets.roleNames ?? []).map((name) => `arn:${partition}:iam::${account}:role/${name}`),
    ...(targets.userNames ?? []).map((name) => `arn:${partition}:iam::${account}:user/${name}`),
    ...(targets.keyArns ?? []),
  ];
}

/** Refused before anything is built (or bundled): each mistake by name. */
export function checkRemediationProps(props: RemediationProps): void {
  const bad = props.approverSlackUserIds.filter((id) => !SLACK_USER_ID.test(id));
  if (props.approverSlackUserIds.length === 0 || bad.length > 0) {
    throw new Error(
      `WhyDenied remediation needs Slack user ids of approvers (U… or W…)${bad.length > 0 ? `, not ${bad.join(', ')}` : ''}.`,
    );
  }
  const t = props.targets;
  // A target is one resource by name: a wildcard would widen the remediator's IAM scope to every match.
  const wild = [...(t.bucketNames ?? []), ...(t.roleNames ?? []), ...(t.userNames ?? []), ...(t.keyArns ?? [])].filter((name) =>
    /[*?]/.test(name),
  );
  if (wild.length > 0) throw new Error(`WhyDenied remediation targets are names, not patterns: ${wild.join(', ')}.`);
  const hours = props.planMaxAgeHours;
  if (hours !== undefined && !(Number.isFinite(hours) && hours > 0 && hours <= 24 * 7)) {
    throw new Error(`WhyDenied remediation planMaxAgeHours must be between 0 and 168 hours, not ${hours}.`);
  }
  const slackIds: [string, string | undefined, RegExp][] = [
    ['slackTeamId', props.slackTeamId, /^T[A-Z0-9]{2,31}$/],
    ['slackEnterpriseId', props.slackEnterpriseId, /^E[A-Z0-9]{2,31}$/],
    ['slackAppId', props.slackAppId, /^A[A-Z0-9]{2,31}$/],
    ['slackChannelId', props.slackChannelId, /^[CG][A-Z0-9]{2,31}$/],
  ];
  for (const [name, value, pattern] of slackIds) {
    if (value !== undefined && !pattern.test(value))
      throw new Error(`WhyDenied remediation ${name} ${value} is not a Slack id of that kind.`);
  }
  const count = [t.bucketNames, t.roleNames, t.userNames, t.keyArns].reduce((n, list) => n + (list?.length ?? 0), 0);
  if (count === 0) throw new Error('WhyDenied remediation lists no target: name the buckets, roles, users or keys it may change.');
  if ((t.keyArns?.length ?? 0) > 0 && !props.allowKeyPolicies) {
    throw new Error('WhyDenied remediation lists keys but allowKeyPolicies is off: key policies change only when opted in.');
  }
}

export class RemediationApproval extends Construct {
  public readonly table: dynamodb.Table;
  public readonly endpoint: NodejsFunction;
  public readonly endpointUrl: lambda.FunctionUrl;
  public readonly remediator: NodejsFunction;
  public readonly remediatorRole: iam.Role;
  public readonly failedRemediations: sqs.Queue;
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: RemediationApprovalProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const targets = targetArns(props.targets, stack.partition, stack.account);
    const approvalEnvironment = {
      APPROVER_SLACK_USER_IDS: props.approverSlackUserIds.join(','),
      SECOND_APPROVER: String(props.secondApprover ?? false),
      PLAN_MAX_AGE_HOURS: String(props.planMaxAgeHours ?? 24),
    };
    const logGroup = (logId: string) =>
      new logs.LogGroup(this, logId, { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });

    this.table = new dynamodb.Table(this, 'Approvals', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The audit trail of every change made to the account outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.failedRemediations = new sqs.Queue(this, 'FailedRemediations', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.remediatorRole = new iam.Role(this, 'RemediatorRole', {
      description: 'why-denied remediator: applies approved plans to the listed buckets, roles, users and keys only',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });
    this.remediator = serviceFunction(this, 'Remediator', {
      entry: 'lambda/approve/remediator.ts',
      memorySize: 512,
      timeout: Duration.minutes(2),
      role: this.remediatorRole,
      logGroup: logGroup('RemediatorLogs'),
      environment: {
        ACCOUNT_ID: stack.account,
        APPROVAL_TABLE_NAME: this.table.tableName,
        REMEDIATION_TARGETS: targets.join(','),
        ALLOW_KEY_POLICIES: String(props.allowKeyPolicies ?? false),
        // The remediator checks the recorded approvals itself: it does not take the endpoint's word.
        ...approvalEnvironment,
      },
    });
    // A change is never retried blindly: a failed run is kept with its job, and the alarm says so. The queue
    // is named as the destination without CDK's grant, which would add kms:ReEncrypt* and GenerateDataKey*:
    // sending to a KMS-encrypted queue needs kms:GenerateDataKey and kms:Decrypt, through SQS, on its key.
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
    const failedRemediations = this.failedRemediations;
    this.remediator.configureAsyncInvoke({ retryAttempts: 0, onFailure: { bind: () => ({ destination: failedRemediations.queueArn }) } });
    this.remediator.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'KeepFailedJobs', actions: ['sqs:SendMessage'], resources: [this.failedRemediations.queueArn] }),
    );
    this.remediator.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'EncryptFailedJobsThroughSqs',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${stack.region}.${stack.urlSuffix}` } },
      }),
    );
    this.grantWrites(targets, props);

    const endpointRole = new iam.Role(this, 'EndpointRole', {
      description: 'why-denied approval endpoint: checks Slack approvals and starts the remediator; changes nothing itself',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });
    this.endpoint = serviceFunction(this, 'Endpoint', {
      entry: 'lambda/approve/approvalEndpoint.ts',
      memorySize: 256,
      // Slack waits three seconds; the rest of the time is for a cold start's secret read.
      timeout: Duration.seconds(10),
      role: endpointRole,
      logGroup: logGroup('EndpointLogs'),
      // Anyone on the internet can reach the URL: a flood takes at most this much of the account's concurrency.
      reservedConcurrentExecutions: ENDPOINT_RESERVED_CONCURRENCY,
      environment: {
        APPROVAL_TABLE_NAME: this.table.tableName,
        SLACK_SIGNING_SECRET_NAME: props.slackSigningSecretName,
        REMEDIATOR_FUNCTION_NAME: this.remediator.functionName,
        ...approvalEnvironment,
        ...(props.slackTeamId ? { SLACK_TEAM_ID: props.slackTeamId } : {}),
        ...(props.slackEnterpriseId ? { SLACK_ENTERPRISE_ID: props.slackEnterpriseId } : {}),
        ...(props.slackAppId ? { SLACK_APP_ID: props.slackAppId } : {}),
        ...(props.slackChannelId ? { SLACK_CHANNEL_ID: props.slackChannelId } : {}),
      },
    });
    if (!props.slackTeamId || !props.slackAppId) {
      Annotations.of(this).addWarningV2(
        'why-denied:slack-origin',
        'remediation without slackTeamId and slackAppId accepts a signed click from any workspace of the app: set both.',
      );
    }
    this.endpointUrl = this.endpoint.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    secretsmanager.Secret.fromSecretNameV2(this, 'SigningSecret', props.slackSigningSecretName).grantRead(this.endpoint);
    this.remediator.grantInvoke(this.endpoint);

    // Each role reaches only the items it owns, by key prefix: the diagnoser proposes plans, the endpoint
    // records clicks on them, and only the remediator writes what it trusts later (its job and backup
    // records, the audit trail).
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
    this.grantItems(props.diagnoser, 'ProposePlans', ['dynamodb:PutItem'], ['plan:*']);
    this.grantItems(this.endpoint, 'RecordClicks', ['dynamodb:GetItem', 'dynamodb:UpdateItem'], ['plan:*']);
    this.grantItems(this.endpoint, 'RememberRequests', ['dynamodb:PutItem'], ['slack-request:*']);
    this.grantItems(this.remediator, 'SettlePlans', ['dynamodb:GetItem', 'dynamodb:UpdateItem'], ['plan:*']);
    this.grantItems(this.remediator, 'KeepOwnRecords', ['dynamodb:GetItem', 'dynamodb:PutItem'], ['remediator:*', 'audit:*']);
    for (const fn of [this.endpoint, this.remediator, props.diagnoser]) allowTableKey(fn, props.key);
    props.diagnoser.addEnvironment('APPROVAL_TABLE_NAME', this.table.tableName);
    props.diagnoser.addEnvironment('REMEDIATION_TARGETS', targets.join(','));
    props.diagnoser.addEnvironment('ALLOW_KEY_POLICIES', String(props.allowKeyPolicies ?? false));
    props.diagnoser.addEnvironment('SECOND_APPROVER', String(props.secondApprover ?? false));

    this.alarms = [
      alarmOnAny(
        this,
        'RemediationFailures',
        this.failedRemediations.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        props.alarmTopic,
        'An approved change failed part-way; its job is in the failed-remediations queue and its audit trail in the approvals table.',
      ),
      alarmOnAny(
        this,
        'EndpointThrottles',
        this.endpoint.metricThrottles({ period: Duration.minutes(5) }),
        props.alarmTopic,
        'The Slack approval endpoint is being throttled at its reserved concurrency: a flood of requests, or clicks that wait.',
      ),
      alarmOnAny(
        this,
        'EndpointErrors',
        this.endpoint.metricErrors({ period: Duration.minutes(5) }),
        props.alarmTopic,
        'The Slack approval endpoint failed.',
      ),
      alarmOnAny(
        this,
        'ProposalFailures',
        serviceCount(SERVICE_METRICS.proposalFailures),
        props.alarmTopic,
        'A fix could not be kept in the approvals table; its alert went out without the Apply button.',
      ),
    ];
    // The names the README gives, not CDK's path-and-hash logical ids.
    new CfnOutput(this, 'ApprovalUrl', {
      value: this.endpointUrl.url,
      description: "Paste into the Slack app's Interactivity Request URL",
    }).overrideLogicalId('ApprovalUrl');
    new CfnOutput(this, 'ApprovalTableName', {
      value: this.table.tableName,
      description: 'Plans, approvals and the audit trail',
    }).overrideLogicalId('ApprovalTableName');
    this.acknowledgeFindings(endpointRole);
  }

  private grantItems(fn: lambda.IFunction, sid: string, actions: string[], keyPrefixes: string[]): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid,
        actions,
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keyPrefixes } },
      }),
    );
  }

  /** Reads for the fresh diagnosis, Access Analyzer's checks, and writes on the listed targets alone. */
  private grantWrites(targets: string[], props: RemediationProps): void {
    const allow = (sid: string, actions: string[], resources: string[]) => {
      if (resources.length > 0) this.remediator.addToRolePolicy(new iam.PolicyStatement({ sid, actions, resources }));
    };
    allow('ReadPolicyLayers', [...COLLECTOR_ACTIONS], ['*']);
    // These Access Analyzer checks take a document, not a resource: they support no resource-level scoping.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiamaccessanalyzer.html
    allow(
      'CheckChanges',
      ['access-analyzer:ValidatePolicy', 'access-analyzer:CheckNoPublicAccess', 'access-analyzer:CheckAccessNotGranted'],
      ['*'],
    );
    allow(
      'ChangeListedBuckets',
      ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
      targets.filter((arn) => arn.includes(':s3:::')),
    );
    allow(
      'ChangeListedRoles',
      ['iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
      targets.filter((arn) => arn.includes(':role/')),
    );
    allow(
      'ChangeListedUsers',
      ['iam:GetUserPolicy', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy'],
      targets.filter((arn) => arn.includes(':user/')),
    );
    if (props.allowKeyPolicies)
      allow('ChangeListedKeyPolicies', ['kms:GetKeyPolicy', 'kms:PutKeyPolicy'], [...(props.targets.keyArns ?? [])]);
    // Whatever else a later edit grants, no organization policy is ever changed from here; reading them
    // stays allowed, since the fresh diagnosis before and after a change needs the SCPs and RCPs.
    this.remediator.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'NeverChangeOrganizationPolicies',
        effect: iam.Effect.DENY,
        actions: [
          'organizations:Create*',
          'organizations:Update*',
          'organizations:Delete*',
          'organizations:Attach*',
          'organizations:Detach*',
          'organizations:Enable*',
          'organizations:Disable*',
          'organizations:Put*',
          'organizations:Tag*',
          'organizations:Untag*',
          'organizations:Move*',
          'organizations:Remove*',
          'organizations:Invite*',
          'organizations:Leave*',
          'organizations:Register*',
          'organizations:Deregister*',
          'organizations:Accept*',
          'organizations:Decline*',
          'organizations:Cancel*',
        ],
        resources: ['*'],
      }),
    );
  }

  private acknowledgeFindings(endpointRole: iam.Role): void {
    for (const role of [endpointRole, this.remediatorRole]) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch Logs.',
      });
    }
    Validations.of(this.remediatorRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Read-only collector actions for the fresh diagnosis (lambda/collect/permissions.ts) and Access Analyzer checks, which take a document and support no resource scoping; the only * Deny is on organizations:*. Writes are on the listed targets alone.',
    });
    for (const fn of [this.endpoint, this.remediator]) {
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'The service is built and tested for Node.js 22 (esbuild target node22); moving runtime is a deliberate upgrade.',
      });
    }
    Validations.of(endpointRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords), which supports no resource-level scoping.',
    });
    Validations.of(endpointRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.remediator.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason: "CDK's grant to invoke the remediator includes its versions and aliases; the remediator alone.",
    });
    Validations.of(this.failedRemediations).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the remediator's on-failure destination; its depth is the alarm.",
    });
  }
}
