import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { COLLECTOR_ACTIONS } from '../../lambda/collect/permissions';
import { WhyDenied, type WhyDeniedProps } from '../../lib/WhyDenied';
import { WhyDeniedStack } from '../../lib/WhyDeniedStack';
import { matchesEventPattern } from '../helpers/eventPatternMatch';
import { hasSharedScenarios, OWN_SCENARIOS, SHARED_SCENARIOS } from '../helpers/paths';

const env = { account: '111122223333', region: 'eu-west-1' };

function synth(props: WhyDeniedProps = {}) {
  const app = new App();
  const stack = new WhyDeniedStack(app, 'WhyDenied', { env, whyDenied: props });
  return { app, stack, template: Template.fromStack(stack) };
}

// Synthesis bundles the handler with esbuild once per app; one app serves the read-only assertions.
const { template } = synth({ slackWebhookSecretName: 'why-denied/slack', crossAccountRoleName: 'WhyDeniedReadOnly' });

describe('the WhyDenied stack', () => {
  it('routes denied S3 writes and the KMS calls they need to the queue, the KMS rule in the state that receives read-only management events', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.s3'], detail: { eventSource: ['s3.amazonaws.com'], errorCode: [{ exists: true }] } },
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

  it('keeps every event: an encrypted queue with a dead-letter queue after five receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: Match.anyValue(),
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
    template.resourceCountIs('AWS::SQS::Queue', 2);
  });

  it('runs the handler on Node.js 22, arm64, with partial batch responses and a batching window', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          SUPPRESSION_WINDOW_SECONDS: '3600',
          SLACK_WEBHOOK_SECRET_NAME: 'why-denied/slack',
          CROSS_ACCOUNT_ROLE_NAME: 'WhyDeniedReadOnly',
          TOPIC_ARN: Match.anyValue(),
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('keeps suppression state in a table that expires it', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'fingerprint', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('grants the function exactly the collectors’ read-only actions, and only sts:AssumeRole on the named role', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Sid: 'ReadPolicyLayers', Effect: 'Allow', Action: [...COLLECTOR_ACTIONS], Resource: '*' },
          {
            Sid: 'ReadOtherAccounts',
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/WhyDeniedReadOnly']] },
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

  it('alarms on dead letters, errors and throttles, to the topic', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('Diagnoses') }] });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('logs only S3 object writes in a trail that leaves out its own log bucket (management events need no trail)', () => {
    const trail = Object.values(template.findResources('AWS::CloudTrail::Trail'))[0];
    expect(trail?.Properties.AdvancedEventSelectors).toHaveLength(1);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      AdvancedEventSelectors: Match.arrayWith([
        {
          Name: 'S3 object writes',
          FieldSelectors: Match.arrayWith([
            { Field: 'readOnly', Equals: ['false'] },
            {
              Field: 'resources.ARN',
              NotStartsWith: Match.arrayWith([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('TrailLogs'), 'Arn'] }, '/']] }]),
            },
          ]),
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
  ])('refuses %s with a sentence that says what to do', (_name, props, message) => {
    expect(() => new WhyDenied(new Stack(new App(), 'S', { env }), 'W', props)).toThrow(message);
  });

  it('passes the cdk-nag AwsSolutions checks, every accepted finding acknowledged with a reason', () => {
    const app = new App();
    new WhyDeniedStack(app, 'Nagged', { env, whyDenied: { suppressionWindow: Duration.minutes(30) } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
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
