#!/usr/bin/env node
/** The CDK app: `npx cdk deploy`. Settings are cdk.json context (or -c key=value). */
import { App, Duration, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { TrailBuckets } from '../lib/WhyDenied';
import { WhyDeniedStack } from '../lib/WhyDeniedStack';

const app = new App();
const context = (key: string): string | undefined => app.node.tryGetContext(key) || undefined;

function trailBuckets(value: string | undefined): TrailBuckets {
  if (!value || value === 'all') return { kind: 'all' };
  if (value === 'none') return { kind: 'none' };
  return {
    kind: 'some',
    bucketNames: value
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  };
}

new WhyDeniedStack(app, context('stackName') ?? 'WhyDenied', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  whyDenied: {
    trailBuckets: trailBuckets(context('trailBuckets')),
    publishToSns: context('publishToSns') !== 'false',
    ...(context('slackWebhookSecretName') ? { slackWebhookSecretName: context('slackWebhookSecretName') } : {}),
    ...(context('crossAccountRoleName') ? { crossAccountRoleName: context('crossAccountRoleName') } : {}),
    suppressionWindow: Duration.minutes(Number(context('suppressionWindowMinutes') ?? '60')),
  },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
