/**
 * The approval endpoint and the remediator exist only when remediation is on, and then with the limits a
 * security team checks first: the remediator alone writes, only to the listed targets; the diagnoser and
 * the endpoint change nothing in the account; a failed change is kept and alarmed, never retried blindly.
 */
import { type App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { whyDeniedPropsFrom } from '../../bin/appContext';
import { type WhyDeniedProps } from '../../lib/WhyDenied';
import { WhyDeniedStack } from '../../lib/WhyDeniedStack';
import { bundledApp, quietly, templateApp } from '../helpers/cdkApp';

const env = { account: '111122223333', region: 'eu-west-1' };
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/2f7e6d5c-4b3a-4291-8e7f-6a5b4c3d2e1f';
const remediation: NonNullable<WhyDeniedProps['remediation']> = {
  approverSlackUserIds: ['U0ALICE01', 'W0BOB0002'],
  slackSigningSecretName: 'why-denied/slack-signing',
  targets: { bucketNames: ['acme-reports'], roleNames: ['MediaIngest'], keyArns: [KEY] },
  allowKeyPolicies: true,
  secondApprover: true,
};

function stackWith(props: WhyDeniedProps, app: App = templateApp()) {
  return new WhyDeniedStack(app, 'WhyDenied', { env, whyDenied: props });
}

// This one synthesis bundles the endpoint and the remediator for real; every other test skips bundling.
const template = quietly(() => Template.fromStack(stackWith({ slackWebhookSecretName: 'why-denied/slack', remediation }, bundledApp())));

/** Every statement a role's policies allow, with the role's logical id. */
function allowedStatements(roleIdPattern: RegExp): { Action: string | string[]; Resource: unknown; Effect: string }[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => roleIdPattern.test(role.Ref)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

const actionsOf = (statements: { Action: string | string[]; Effect: string }[]) =>
  statements.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
const WRITES =
  /^(s3:(Put|Delete)|iam:(Put|Delete|Create|Attach|Update|Set)|kms:(Put|Create|Schedule|Disable)|organizations:(?!Describe|List))/;

describe('approval-gated remediation in the stack', () => {
  it('is absent unless enabled: no function URL, no approvals table, no writer', () => {
    const plain = Template.fromStack(stackWith({ slackWebhookSecretName: 'why-denied/slack' }));
    plain.resourceCountIs('AWS::Lambda::Url', 0);
    plain.resourceCountIs('AWS::DynamoDB::Table', 1);
    plain.resourceCountIs('AWS::Lambda::Function', 1);
  });

  it('serves Slack at a function URL whose gate is Slack’s signature, checked in the code', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          SLACK_SIGNING_SECRET_NAME: 'why-denied/slack-signing',
          APPROVER_SLACK_USER_IDS: 'U0ALICE01,W0BOB0002',
          SECOND_APPROVER: 'true',
        }),
      },
    });
  });

  it('keeps plans, approvals and the audit trail in an encrypted table with point-in-time recovery, kept when the stack goes', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('lets the remediator write only to the listed bucket, role and key, and never to Organizations', () => {
    const statements = allowedStatements(/RemediatorRole/);
    const writes = statements.filter((s) => s.Effect === 'Allow' && actionsOf([s]).some((a) => WRITES.test(a)));
    expect(writes.map((s) => [actionsOf([s]).filter((a) => WRITES.test(a)), s.Resource])).toEqual([
      [['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'], { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-reports']] }],
      [
        ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/MediaIngest']] },
      ],
      [['kms:PutKeyPolicy'], KEY],
    ]);
    const denied = statements.filter((s) => s.Effect === 'Deny').flatMap((s) => [s.Action].flat());
    expect(denied).toEqual(expect.arrayContaining(['organizations:Update*', 'organizations:Attach*', 'organizations:Delete*']));
    // Reading SCPs and RCPs stays allowed: the diagnosis before and after a change needs them.
    expect(denied.filter((a) => /^organizations:(Describe|List|\*)/.test(a))).toEqual([]);
  });

  it('limits each role to the table items it owns, so nobody but the remediator writes what it trusts (#23)', () => {
    const tableStatements = (role: RegExp) =>
      allowedStatements(role)
        .filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')))
        .map((s) => ({
          actions: actionsOf([s]).sort(),
          keys: (s as unknown as { Condition?: Record<string, Record<string, unknown>> }).Condition?.['ForAllValues:StringLike']?.[
            'dynamodb:LeadingKeys'
          ],
        }));
    expect(tableStatements(/RemediatorRole/)).toEqual(
      expect.arrayContaining([
        { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], keys: ['plan:*'] },
        { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], keys: ['remediator:*', 'audit:*'] },
      ]),
    );
    const others = [...tableStatements(/EndpointRole/), ...tableStatements(/DiagnoserRole/).filter((s) => s.keys !== undefined)];
    expect(others).toEqual(
      expect.arrayContaining([
        { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], keys: ['plan:*'] },
        { actions: ['dynamodb:PutItem'], keys: ['slack-request:*'] },
        { actions: ['dynamodb:PutItem'], keys: ['plan:*'] },
      ]),
    );
    for (const statement of others) expect([statement.keys].flat()).not.toEqual(expect.arrayContaining(['remediator:*']));
    for (const statement of others) expect([statement.keys].flat()).not.toEqual(expect.arrayContaining(['audit:*']));
  });

  it('lets the remediator use the key only as its failed-jobs queue needs, through SQS (#23)', () => {
    const kmsActions = allowedStatements(/RemediatorRole/)
      .filter(
        (s) => actionsOf([s]).some((a) => a.startsWith('kms:')) && (s as unknown as { Sid?: string }).Sid !== 'ChangeListedKeyPolicies',
      )
      .map((s) => ({
        actions: actionsOf([s])
          .filter((a) => a.startsWith('kms:'))
          .sort(),
        via: JSON.stringify((s as unknown as { Condition?: unknown }).Condition),
      }));
    expect(kmsActions.flatMap((k) => k.actions)).not.toEqual(expect.arrayContaining(['kms:ReEncrypt*']));
    expect(kmsActions.flatMap((k) => k.actions)).not.toEqual(expect.arrayContaining(['kms:GenerateDataKey*']));
    expect(kmsActions).toContainEqual({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], via: expect.stringContaining('sqs.') });
  });

  it('gives the approval URL the output name the README tells people to paste (#25)', () => {
    expect(Object.keys(template.findOutputs('*'))).toEqual(expect.arrayContaining(['ApprovalUrl', 'ApprovalTableName']));
  });

  it('reserves a small concurrency for the public endpoint and alarms on its throttles (#23)', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 5,
      Environment: { Variables: Match.objectLike({ SLACK_SIGNING_SECRET_NAME: Match.anyValue() }) },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Namespace: 'AWS/Lambda' });
  });

  it('gives the remediator the approver list and the plan age limit, to check again itself (#23)', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          REMEDIATION_TARGETS: Match.anyValue(),
          APPROVER_SLACK_USER_IDS: 'U0ALICE01,W0BOB0002',
          SECOND_APPROVER: 'true',
          PLAN_MAX_AGE_HOURS: '24',
        }),
      },
    });
  });

  it('leaves the diagnoser and the endpoint without a single write to the account', () => {
    expect(actionsOf(allowedStatements(/DiagnoserRole/)).filter((a) => WRITES.test(a))).toEqual([]);
    expect(actionsOf(allowedStatements(/EndpointRole/)).filter((a) => WRITES.test(a))).toEqual([]);
    expect(actionsOf(allowedStatements(/EndpointRole/))).toContain('lambda:InvokeFunction');
  });

  it('never retries a change by itself: a failed run goes to its queue, and an alarm says so', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('FailedRemediations'), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('FailedRemediations'), 'QueueName'] } }],
    });
  });

  it('alarms when a fix could not be kept for approval (its alert went out without the button)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ProposalFailures',
      Namespace: 'WhyDenied',
      Dimensions: [{ Name: 'service', Value: 'why-denied' }],
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmsTopic') }],
    });
  });

  it('tells the diagnoser what it may offer, so no button leads to a target the remediator may not touch', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          SUPPRESSION_TABLE_NAME: Match.anyValue(),
          APPROVAL_TABLE_NAME: Match.anyValue(),
          REMEDIATION_TARGETS: Match.anyValue(),
          ALLOW_KEY_POLICIES: 'true',
        }),
      },
    });
  });

  it.each<[string, WhyDeniedProps, RegExp]>([
    ['without the Slack webhook', { remediation }, /needs slackWebhookSecretName/],
    [
      'with an approver that is not a Slack user id',
      { slackWebhookSecretName: 'w', remediation: { ...remediation, approverSlackUserIds: ['alice'] } },
      /not alice/,
    ],
    ['with no approver', { slackWebhookSecretName: 'w', remediation: { ...remediation, approverSlackUserIds: [] } }, /approvers/],
    ['with no target', { slackWebhookSecretName: 'w', remediation: { ...remediation, targets: {} } }, /lists no target/],
    [
      'with a target written as a pattern',
      { slackWebhookSecretName: 'w', remediation: { ...remediation, targets: { bucketNames: ['prod-???????'] } } },
      /names, not patterns: prod-\?\?\?\?\?\?\?/,
    ],
    [
      'with a Slack team id that is not one',
      { slackWebhookSecretName: 'w', remediation: { ...remediation, slackTeamId: 'acme' } },
      /slackTeamId acme is not a Slack id/,
    ],
    [
      'with keys but no opt-in',
      { slackWebhookSecretName: 'w', remediation: { ...remediation, allowKeyPolicies: false } },
      /allowKeyPolicies is off/,
    ],
  ])('refuses to synthesize %s', (_name, props, message) => {
    expect(() => stackWith(props)).toThrow(message);
  });

  it('reads its settings from the CDK context, and refuses an unknown mode by name', () => {
    const context = (values: Record<string, string>) => (key: string) => values[key];
    expect(
      whyDeniedPropsFrom(
        context({
          remediation: 'approve',
          slackSigningSecretName: 's',
          remediationApprovers: 'U0ALICE01, U0BOB0002',
          remediationBuckets: 'acme-reports',
          remediationSecondApprover: 'true',
          remediationPlanMaxAgeHours: '8',
          slackTeamId: 'T0ACME01',
          slackAppId: 'A0WHYDENIED',
        }),
      ).remediation,
    ).toEqual({
      approverSlackUserIds: ['U0ALICE01', 'U0BOB0002'],
      slackSigningSecretName: 's',
      targets: { bucketNames: ['acme-reports'], roleNames: [], userNames: [], keyArns: [] },
      allowKeyPolicies: false,
      secondApprover: true,
      planMaxAgeHours: 8,
      slackTeamId: 'T0ACME01',
      slackAppId: 'A0WHYDENIED',
    });
    expect(() => whyDeniedPropsFrom(context({ remediation: 'auto' }))).toThrow(/approve or off/);
    expect(() => whyDeniedPropsFrom(context({ remediation: 'approve' }))).toThrow(/slackSigningSecretName/);
  });
});
