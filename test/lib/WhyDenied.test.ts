import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { buildApp } from '../../bin/buildApp';
import { COLLECTOR_ACTIONS } from '../../lambda/collect/permissions';
import { S3_WRITE_EVENTS } from '../../lambda/events/cloudTrailRecord';
import { DENIAL_ERROR_CODES } from '../../lambda/events/denialErrorCodes';
import { SERVICE_METRICS, SERVICE_NAME } from '../../lambda/handler/serviceMetrics';
import { WhyDenied, type WhyDeniedProps } from '../../lib/WhyDenied';
import { READ_ROLE_ACTIONS } from '../../lib/WhyDeniedReadRole';
import { WhyDeniedStack } from '../../lib/WhyDeniedStack';
import { matchesEventPattern } from '../helpers/eventPatternMatch';
import { hasSharedScenarios, OWN_SCENARIOS, PROJECT_ROOT, SHARED_SCENARIOS } from '../helpers/paths';
import { bundledApp, quietly, templateApp } from '../helpers/cdkApp';
import { SELECTED_FIELDS } from '../../lambda/replay/cloudTrailQuery';

const env = { account: '111122223333', region: 'eu-west-1' };

function synth(props: WhyDeniedProps = {}, app: App = templateApp()) {
  const stack = new WhyDeniedStack(app, 'WhyDenied', { env, whyDenied: props });
  return { app, stack, template: Template.fromStack(stack) };
}

function synthConstruct(props: WhyDeniedProps): WhyDenied {
  return new WhyDeniedStack(templateApp(), 'WhyDenied', { env, whyDenied: props }).whyDenied;
}

// This one synthesis bundles the handler with esbuild for real; every other test skips bundling.
const { template } = quietly(() =>
  synth({ slackWebhookSecretName: 'why-denied/slack', crossAccountRoleName: 'WhyDeniedReadOnly' }, bundledApp()),
);

describe('the WhyDenied stack', () => {
  it('routes only the denials the engine explains to the queue, the KMS rule in the state that receives read-only management events', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        detail: Match.objectLike({ eventSource: ['s3.amazonaws.com'], errorCode: [...DENIAL_ERROR_CODES, { prefix: 'KMS.' }] }),
      },
      State: 'ENABLED',
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.kms'],
        detail: Match.objectLike({ requestParameters: { encryptionContext: { 'aws:s3:arn': [{ exists: true }] } } }),
      },
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
    });
  });

  it('routes the calls a VPC endpoint refused, which only the endpoint owner’s network activity events record', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'detail-type': ['AWS Network Activity Event via CloudTrail'],
        detail: Match.objectLike({
          eventCategory: ['NetworkActivity'],
          eventSource: ['s3.amazonaws.com', 'kms.amazonaws.com'],
          errorCode: ['VpceAccessDenied'],
        }),
      },
      State: 'ENABLED',
    });
  });

  it('gives every rule target a retry policy and a dead-letter queue, so EventBridge drops nothing', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules).toHaveLength(3);
    for (const rule of rules) {
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetterQueue/), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        }),
      ]);
    }
  });

  it('lets EventBridge send to the queue for its own rules only', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'OnlyTheseRules',
            Effect: 'Deny',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnNotEquals: { 'aws:SourceArn': [Match.anyValue(), Match.anyValue(), Match.anyValue()] } },
          }),
        ]),
      },
    });
  });

  it('keeps every event: an encrypted queue with a dead-letter queue after five receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: Match.anyValue(),
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
    template.resourceCountIs('AWS::SQS::Queue', 2);
  });

  it('holds a message invisible for at least six function timeouts plus the batching window', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Handler === 'index.handler')!;
    const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))[0]!;
    const queue = Object.values(template.findResources('AWS::SQS::Queue')).find((q) => q.Properties.RedrivePolicy)!;
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * fn.Properties.Timeout + mapping.Properties.MaximumBatchingWindowInSeconds,
    );
  });

  it('runs the handler on Node.js 22, arm64, with partial batch responses, a batching window and a concurrency cap', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          SUPPRESSION_WINDOW_SECONDS: '3600',
          CLAIM_LEASE_SECONDS: '90',
          LOOKUP_EVENTS_PER_SECOND: '0.5',
          SLACK_WEBHOOK_SECRET_NAME: 'why-denied/slack',
          CROSS_ACCOUNT_ROLE_NAME: 'WhyDeniedReadOnly',
          CROSS_ACCOUNT_EXTERNAL_ID: 'why-denied-111122223333',
          TOPIC_ARN: Match.anyValue(),
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 4 },
    });
  });

  it('keeps the function logs for a year unless told otherwise', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    synth({ logRetention: RetentionDays.ONE_MONTH }).template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('keeps suppression state in a table that expires it', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'fingerprint', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('grants the table key explicitly, through DynamoDB only, even when there is no topic', () => {
    const slackOnly = synth({ publishToSns: false, slackWebhookSecretName: 's' }).template;
    slackOnly.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'UseTableKeyThroughDynamoDB',
            Condition: { StringEquals: { 'kms:ViaService': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('grants the function exactly the collectors’ read-only actions, and sts:AssumeRole on the named role in its organization only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Sid: 'ReadPolicyLayers', Effect: 'Allow', Action: [...COLLECTOR_ACTIONS], Resource: '*' },
          {
            Sid: 'ReadOtherAccounts',
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/WhyDeniedReadOnly']] },
            Condition: { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } },
          },
        ]),
      },
    });
  });

  it('limits sts:AssumeRole to the listed accounts when given', () => {
    const listed = synth({ crossAccountRoleName: 'R', crossAccountIds: ['444455556666'] }).template;
    listed.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ReadOtherAccounts',
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444455556666:role/R']] },
          },
        ]),
      },
    });
  });

  it('grants no wildcard action and no write to IAM, S3 objects, KMS keys or Organizations', () => {
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) => [s.Action].flat()),
    );
    expect(actions).not.toContain('*');
    expect(actions.filter((a) => /:\*$/.test(a))).toEqual([]);
    const writes = actions.filter((a) =>
      /^(iam|organizations):(?!Get|List|Describe)|^s3:(Put|Delete)|^kms:(Put|Create|Delete|Disable|Schedule|Enable|Update)/.test(a),
    );
    expect(writes).toEqual([]);
  });

  it.each<[string, WhyDeniedProps]>([
    ['with a topic', {}],
    ['with Slack only', { publishToSns: false, slackWebhookSecretName: 's' }],
  ])('alarms on dead letters, errors, throttles and failed publications to a topic CloudWatch may publish to (%s)', (_name, props) => {
    const t = synth(props).template;
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    t.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmsTopic') }] });
    const cloudwatchMayPublish = Match.objectLike({
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' }, ArnLike: { 'aws:SourceArn': Match.anyValue() } },
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('AlarmsTopic') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish' }), cloudwatchMayPublish]) },
    });
    t.hasResourceProperties('AWS::KMS::Key', { KeyPolicy: { Statement: Match.arrayWith([cloudwatchMayPublish]) } });
  });

  it('graphs on its dashboard exactly the service metrics the code emits, by name and dimensions', () => {
    const built = synthConstruct({});
    const graphed = built.serviceAlarms.serviceMetrics.map((m) => ({ name: m.metricName, dimensions: m.dimensions }));
    expect(graphed).toEqual(Object.values(SERVICE_METRICS).map((name) => ({ name, dimensions: { service: SERVICE_NAME } })));
  });

  it('names its dashboard after the stack, so two deployments do not collide', () => {
    const app = templateApp();
    const stacks = ['One', 'Two'].map((name) => new WhyDeniedStack(app, name, { env }));
    const names = stacks.map((stack) => {
      const t = Template.fromStack(stack);
      return Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardName as string;
    });
    expect(names).toEqual(['One-eu-west-1', 'Two-eu-west-1']);
  });

  it('writes no partition or region into the template: both come from the stack', () => {
    const agnostic = Template.fromStack(new WhyDeniedStack(templateApp(), 'Agnostic', { whyDenied: { crossAccountRoleName: 'R' } }));
    const text = JSON.stringify(agnostic.toJSON());
    expect(text).not.toMatch(/arn:aws:|us-east-1|amazonaws\.com\//);
  });

  it('outputs the queue, dead-letter queue, topics, table and dashboard', () => {
    const outputs = Object.keys(template.findOutputs('*')).map((id) => id.replace(/^WhyDenied/, '').replace(/[A-F0-9]{8}$/, ''));
    expect(outputs).toEqual(
      expect.arrayContaining([
        'QueueUrl',
        'DeadLetterQueueUrl',
        'DiagnosesTopicArn',
        'AlarmTopicArn',
        'SuppressionTableName',
        'DashboardName',
      ]),
    );
  });

  it('logs only the upload calls the engine diagnoses, with advanced selectors alone, leaving out its own log bucket', () => {
    const trail = Object.values(template.findResources('AWS::CloudTrail::Trail'))[0];
    expect(trail?.Properties.AdvancedEventSelectors).toHaveLength(3);
    expect(trail?.Properties).not.toHaveProperty('EventSelectors');
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      AdvancedEventSelectors: Match.arrayWith([
        {
          Name: 'S3 object uploads',
          FieldSelectors: Match.arrayWith([
            { Field: 'readOnly', Equals: ['false'] },
            { Field: 'eventName', Equals: [...S3_WRITE_EVENTS] },
            {
              Field: 'resources.ARN',
              NotStartsWith: Match.arrayWith([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('TrailLogs'), 'Arn'] }, '/']] }]),
            },
          ]),
        },
      ]),
    });
  });

  it('logs the calls a VPC endpoint refused, S3’s and KMS’s, as network activity events and nothing else of them', () => {
    for (const source of ['s3.amazonaws.com', 'kms.amazonaws.com'])
      template.hasResourceProperties('AWS::CloudTrail::Trail', {
        AdvancedEventSelectors: Match.arrayWith([
          {
            Name: `${source} calls a VPC endpoint refused`,
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['NetworkActivity'] },
              { Field: 'eventSource', Equals: [source] },
              { Field: 'errorCode', Equals: ['VpceAccessDenied'] },
            ],
          },
        ]),
      });
  });

  it('logs only the named buckets when asked, and creates no trail when the account has one', () => {
    const some = synth({ trailBuckets: { kind: 'some', bucketNames: ['acme-reports'] } }).template;
    some.hasResourceProperties('AWS::CloudTrail::Trail', {
      AdvancedEventSelectors: Match.arrayWith([
        Match.objectLike({
          FieldSelectors: Match.arrayWith([
            { Field: 'resources.ARN', StartsWith: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-reports/']] }] },
          ]),
        }),
      ]),
    });
    synth({ trailBuckets: { kind: 'none' } }).template.resourceCountIs('AWS::CloudTrail::Trail', 0);
  });

  it.each<[string, WhyDeniedProps, RegExp]>([
    ['nowhere to publish', { publishToSns: false }, /nowhere to publish/],
    ['an empty bucket list', { trailBuckets: { kind: 'some', bucketNames: [] } }, /lists no bucket/],
    ['a concurrency below the SQS minimum', { maxConcurrency: 1 }, /maxConcurrency/],
    ['account ids without a role to assume', { crossAccountIds: ['444455556666'] }, /needs crossAccountRoleName/],
    ['a window under a minute', { suppressionWindow: Duration.seconds(5) }, /at least one minute/],
    [
      'Amazon Q notifications without the topic',
      { publishToSns: false, slackWebhookSecretName: 'w', amazonQNotifications: true },
      /amazonQNotifications needs publishToSns/,
    ],
  ])('refuses %s with a sentence that says what to do', (_name, props, message) => {
    expect(() => new WhyDenied(new Stack(templateApp(), 'S', { env }), 'W', props)).toThrow(message);
  });
});

describe('alerts routed by account or OU', () => {
  it('tells the function the routes, and lets it publish to each routed topic and read each routed webhook', () => {
    const app = templateApp({ alertRoutes: 'ou-ab12-wkld0001=team-b/slack,ou-ab12-wkld0001=arn:aws:sns:eu-west-1:111122223333:team-b' });
    const template = Template.fromStack(buildApp(app, env).find((s) => s.stackName === 'WhyDenied')!);
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.SUPPRESSION_TABLE_NAME,
    );
    expect(JSON.parse(fn?.Properties.Environment.Variables.ALERT_ROUTES as string)).toEqual({
      'ou-ab12-wkld0001': { topicArn: 'arn:aws:sns:eu-west-1:111122223333:team-b', slackWebhookSecretName: 'team-b/slack' },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'sns:Publish', Resource: 'arn:aws:sns:eu-west-1:111122223333:team-b' }),
    );
    expect(JSON.stringify(statements)).toContain(':secret:team-b/slack-??????');
  });

  it.each([['team-b'], ['finance=team-b/slack'], ['111122223333=']])('refuses alertRoutes %j by name', (value) => {
    expect(() => buildApp(templateApp({ alertRoutes: value }), env)).toThrow(/context alertRoutes/);
  });
});

describe('the Athena table for replay --athena', () => {
  it('projects account, region and day over the organization trail’s folders, with the columns the query reads', () => {
    const app = templateApp({
      athenaTrailBucket: 'acme-org-trail',
      athenaOrganizationId: 'o-a1b2c3d4e5',
      athenaAccounts: '111122223333,444455556666',
      regions: 'us-west-2',
    });
    const table = buildApp(app, env).find((s) => s.stackName.endsWith('AthenaTable'))!;
    const template = Template.fromStack(table);
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'why_denied',
      TableInput: Match.objectLike({
        Name: 'cloudtrail',
        PartitionKeys: [
          { Name: 'account', Type: 'string' },
          { Name: 'region', Type: 'string' },
          { Name: 'timestamp', Type: 'string' },
        ],
        Parameters: Match.objectLike({
          'projection.account.values': '111122223333,444455556666',
          'projection.region.values': 'eu-west-1,us-west-2',
          'projection.timestamp.format': 'yyyy/MM/dd',
          'storage.location.template': 's3://acme-org-trail/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${timestamp}',
        }),
      }),
    });
    const columns = (Object.values(template.findResources('AWS::Glue::Table'))[0]?.Properties.TableInput.StorageDescriptor.Columns ??
      []) as {
      Name: string;
    }[];
    const names = new Set(columns.map((c) => c.Name));
    for (const [column] of SELECTED_FIELDS) expect(names).toContain(column.split('.')[0]);
    expect(names).toContain('resources');
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ athenaTrailBucket: 'acme-org-trail' }, /athenaAccounts/],
    [{ athenaTrailBucket: 'Not_A_Bucket', athenaAccounts: '111122223333' }, /not an S3 bucket name/],
    [{ athenaTrailBucket: 'acme-org-trail', athenaAccounts: '111122223333', athenaOrganizationId: 'org-1' }, /not an organization id/],
  ])('refuses %j by name', (context, message) => {
    expect(() => buildApp(templateApp(context), env)).toThrow(message);
  });
});

describe('the CDK app under every documented context option', () => {
  const options: [string, Record<string, string>][] = [
    ['the defaults', {}],
    ['a cross-account role', { crossAccountRoleName: 'WhyDeniedReadOnly' }],
    ['a cross-account role in listed accounts', { crossAccountRoleName: 'R', crossAccountIds: '444455556666,777788889999' }],
    ['no SNS, a Slack secret', { publishToSns: 'false', slackWebhookSecretName: 'why-denied/slack' }],
    ['trailBuckets=none', { trailBuckets: 'none' }],
    ['trailBuckets=all', { trailBuckets: 'all' }],
    ['trailBuckets as a list', { trailBuckets: 'acme-reports, acme-logs' }],
    [
      'a custom suppression window, concurrency and retention',
      { suppressionWindowMinutes: '15', maxConcurrency: '2', logRetentionDays: '30' },
    ],
    ['bucket owners', { bucketOwners: 'partner-bucket=444455556666' }],
    ['Amazon Q custom notifications', { amazonQNotifications: 'true' }],
    ['other regions', { regions: 'us-west-2,eu-west-1' }],
    ['the read-only role for StackSets', { readRoleHomeAccount: '111122223333', crossAccountRoleName: 'R' }],
    [
      'an organization: the central bus, the StackSet and the management account’s member stacks',
      {
        organizationId: 'o-a1b2c3d4e5',
        organizationUnits: 'r-ab12,ou-ab12-wkld0001',
        regions: 'us-east-1',
        managementAccount: '999988887777',
      },
    ],
    [
      'an organization, the StackSet run by a delegated administrator',
      {
        organizationId: 'o-a1b2c3d4e5',
        organizationUnits: 'r-ab12',
        stackSetCallAs: 'DELEGATED_ADMIN',
        crossAccountRoleName: 'ReadForWhyDenied',
      },
    ],
    [
      'alerts routed by account and OU',
      {
        slackWebhookSecretName: 'why-denied/slack',
        alertRoutes:
          '111122223333=arn:aws:sns:eu-west-1:111122223333:team-a,ou-ab12-wkld0001=team-b/slack,ou-ab12-wkld0001=arn:aws:sns:eu-west-1:111122223333:team-b',
      },
    ],
    [
      'the Athena table over an organization trail',
      { athenaTrailBucket: 'acme-org-trail', athenaOrganizationId: 'o-a1b2c3d4e5', athenaAccounts: '111122223333,444455556666' },
    ],
    [
      'approval-gated remediation of buckets and roles',
      {
        slackWebhookSecretName: 'why-denied/slack',
        remediation: 'approve',
        slackSigningSecretName: 'why-denied/slack-signing',
        remediationApprovers: 'U0ALICE01',
        remediationBuckets: 'acme-reports',
        remediationRoles: 'MediaIngest',
        remediationUsers: 'ci-uploader',
      },
    ],
    [
      'remediation of key policies with a second approver',
      {
        slackWebhookSecretName: 'why-denied/slack',
        remediation: 'approve',
        slackSigningSecretName: 'why-denied/slack-signing',
        remediationApprovers: 'U0ALICE01,U0BOB0002',
        remediationKeys: 'arn:aws:kms:eu-west-1:111122223333:key/2f7e6d5c-4b3a-4291-8e7f-6a5b4c3d2e1f',
        remediationKeyPolicies: 'true',
        remediationSecondApprover: 'true',
      },
    ],
  ];

  it.each(options)('synthesizes with %s, and cdk-nag finds nothing unacknowledged', (_name, context) => {
    const app = templateApp(context);
    const stacks = buildApp(app, env);
    expect(() => app.synth()).not.toThrow();
    const errors = stacks.flatMap((stack) => Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions')));
    expect(errors).toEqual([]);
  });

  // CloudFormation refuses templates synth accepts (EventSelectors beside AdvancedEventSelectors on one trail);
  // cfn-lint knows its rules. It is a Python tool: where it is not installed, these are skipped and say so.
  const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
  (cfnLint ? it : it.skip)('passes cfn-lint, every template of every option set above (one run: cfn-lint is slow to start)', () => {
    const root = mkdtempSync(join(tmpdir(), 'why-denied-cfn-lint-'));
    const templates = options.flatMap(([name, context]) => {
      const outdir = join(root, name.replace(/\W+/g, '-'));
      const app = new App({ outdir, context: { ...context, 'aws:cdk:bundling-stacks': [] } });
      buildApp(app, env);
      app.synth();
      return readdirSync(outdir)
        .filter((file) => file.endsWith('.template.json'))
        .map((file) => join(outdir, file));
    });
    const lint = spawnSync('cfn-lint', ['--config-file', join(PROJECT_ROOT, '.cfnlintrc.yaml'), '--', ...templates], { encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  it('forwards other regions’ denials to the home region’s default bus, with a dead-letter queue', () => {
    const app = templateApp({ regions: 'us-west-2' });
    const forwarder = buildApp(app, env).find((s) => s.region === 'us-west-2')!;
    const t = Template.fromStack(forwarder);
    t.resourceCountIs('AWS::Events::Rule', 3);
    t.allResourcesProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111122223333:event-bus/default']] },
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
  });

  it('ships a read-only role that trusts only the diagnoser, with the external id, and grants only read actions', () => {
    const app = templateApp({ readRoleHomeAccount: '111122223333', crossAccountRoleName: 'R' });
    const readRole = Template.fromStack(buildApp(app, env).find((s) => s.stackName === 'WhyDeniedReadRole')!);
    // StackSets deploy it where CDK was never bootstrapped: no BootstrapVersion parameter, no check rule.
    expect(readRole.toJSON()).not.toHaveProperty('Parameters');
    expect(readRole.toJSON()).not.toHaveProperty('Rules');
    readRole.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'R',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRole',
            Condition: {
              StringEquals: {
                'sts:ExternalId': 'why-denied-111122223333',
                'aws:PrincipalArn': {
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/WhyDenied-diagnoser-eu-west-1']],
                },
              },
            },
          }),
        ],
      },
      Policies: [{ PolicyName: 'ReadPolicyLayers', PolicyDocument: { Statement: [Match.objectLike({ Action: [...READ_ROLE_ACTIONS] })] } }],
    });
    expect(READ_ROLE_ACTIONS.every((a) => /^[a-z0-9]+:(Get|List|Describe|LookupEvents)/.test(a))).toBe(true);
    const home = Template.fromStack(app.node.findChild('WhyDenied') as Stack);
    home.hasResourceProperties('AWS::IAM::Role', { RoleName: 'WhyDenied-diagnoser-eu-west-1' });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a non-numeric window', { suppressionWindowMinutes: 'soon' }, /suppressionWindowMinutes must be a whole number/],
    ['a retention CloudWatch does not offer', { logRetentionDays: '42' }, /logRetentionDays must be one of/],
    ['a malformed owner map', { bucketOwners: 'b=12' }, /bucketOwners/],
    ['a yes/no setting that is neither (#25)', { publishToSns: 'maybe' }, /publishToSns must be true or false, not "maybe"/],
    ['a region that does not exist (#25)', { regions: 'eu-west-1,mars-1' }, /context regions: mars-1 is not an AWS region name/],
    [
      'a trail bucket S3 would never name (#25)',
      { trailBuckets: 'Acme_Logs' },
      /context trailBuckets: "Acme_Logs" is not an S3 bucket name/,
    ],
  ])('refuses %s, naming the key', (_name, context, message) => {
    expect(() => buildApp(templateApp(context), env)).toThrow(message);
  });

  it('names its outputs as the README does (#25)', () => {
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(
      expect.arrayContaining([
        'AlarmTopicArn',
        'DashboardName',
        'DeadLetterQueueUrl',
        'DiagnosesTopicArn',
        'QueueUrl',
        'SuppressionTableName',
      ]),
    );
  });

  it('says a refused setting in one line, without a stack trace under it (#25)', () => {
    const context = JSON.stringify({ regions: 'mars-1', 'aws:cdk:bundling-stacks': [] });
    const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist/bin/app.js')], {
      env: { ...process.env, CDK_CONTEXT_JSON: context, CDK_DEFAULT_REGION: 'eu-west-1', CDK_DEFAULT_ACCOUNT: '111122223333' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr.toString().trim().split('\n')).toEqual([
      'why-denied: context regions: mars-1 is not an AWS region name (like eu-west-1)',
    ]);
  });

  it('loads source maps only when asked (#26): they cost every cold start the read of the whole map', () => {
    const variables = (stack: Stack) =>
      Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map(
        (fn) => (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>,
      );
    const plain = buildApp(templateApp({ slackWebhookSecretName: 's' }), env).find((s) => s.stackName === 'WhyDenied')!;
    expect(variables(plain).some((v) => 'NODE_OPTIONS' in v)).toBe(false);
    const debugging = buildApp(templateApp({ slackWebhookSecretName: 's', sourceMaps: 'true' }), env).find(
      (s) => s.stackName === 'WhyDenied',
    )!;
    expect(variables(debugging).every((v) => v.NODE_OPTIONS === '--enable-source-maps')).toBe(true);
  });

  it('reads every yes/no setting one way, in any case (#25): publishToSns=False turns SNS off', () => {
    const withSlack = { slackWebhookSecretName: 'why-denied/slack' };
    for (const off of ['False', 'false', 'FALSE', 'no', '0']) {
      const stacks = buildApp(templateApp({ ...withSlack, publishToSns: off }), env);
      // The diagnoses topic is gone (only the alarm topic stays), and so is its output.
      const outputs = Template.fromStack(stacks.find((s) => s.stackName === 'WhyDenied')!).findOutputs('*');
      expect(Object.keys(outputs).some((name) => name.includes('DiagnosesTopicArn'))).toBe(false);
    }
  });
});

describe('the rule patterns, matched against real records', () => {
  const rules = Object.values(template.findResources('AWS::Events::Rule')).map((r) => r.Properties.EventPattern as Record<string, unknown>);
  const envelope = (record: Record<string, unknown>) =>
    record['detail-type']
      ? record
      : { 'detail-type': 'AWS API Call via CloudTrail', source: `aws.${String(record.eventSource).split('.')[0]}`, detail: record };
  const matched = (record: Record<string, unknown>) => rules.some((pattern) => matchesEventPattern(pattern, envelope(record)));
  const dirs = [
    ...(hasSharedScenarios ? readdirSync(SHARED_SCENARIOS).map((d) => join(SHARED_SCENARIOS, d)) : []),
    ...readdirSync(OWN_SCENARIOS).map((d) => join(OWN_SCENARIOS, d)),
  ].filter((d) => !d.endsWith('16-malformed-event') && !d.endsWith('README.md'));

  it.each(dirs.map((d) => [d.split('/').pop(), d]))('deliver the scenario event %s', (_name, dir) => {
    expect(matched(JSON.parse(readFileSync(join(dir as string, 'event.json'), 'utf8')))).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a successful upload', { eventSource: 's3.amazonaws.com', eventName: 'PutObject', requestParameters: { bucketName: 'b' } }],
    ['a denied read', { eventSource: 's3.amazonaws.com', eventName: 'GetObject', errorCode: 'AccessDenied' }],
    ...['SlowDown', 'InternalError', 'PreconditionFailed', 'NoSuchUpload'].map(
      (errorCode) =>
        [`an upload that failed with ${errorCode}`, { eventSource: 's3.amazonaws.com', eventName: 'PutObject', errorCode }] as [
          string,
          Record<string, unknown>,
        ],
    ),
    [
      'a throttled KMS call',
      {
        eventSource: 'kms.amazonaws.com',
        eventName: 'GenerateDataKey',
        errorCode: 'ThrottlingException',
        requestParameters: { encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/k' } },
      },
    ],
    [
      'a failed KMS call for another service',
      {
        eventSource: 'kms.amazonaws.com',
        eventName: 'Decrypt',
        errorCode: 'AccessDenied',
        requestParameters: { encryptionContext: { 'aws:lambda:FunctionArn': 'x' } },
      },
    ],
  ])('do not deliver %s', (_name, record) => {
    expect(matched(record)).toBe(false);
  });
});
