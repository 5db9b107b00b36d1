/**
 * The Lambda function URL Slack posts button clicks to. It has no AWS authentication (Slack cannot sign
 * with SigV4): Slack's signature, the replay record and the approver list are the gate. It answers
 * within Slack's three seconds and leaves the change itself to the remediator, invoked asynchronously.
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { approvalSettingsFrom } from '../settings/approvalSettings';
import { postToSlack } from '../notify/postToSlack';
import { cachedSecret } from '../settings/cachedSecret';
import { requiredSetting } from '../settings/ConfigurationError';
import { ApprovalStore } from './ApprovalStore';
import { type ApprovalDependencies, receiveApproval } from './receiveApproval';

function dependenciesFrom(env: NodeJS.ProcessEnv): ApprovalDependencies {
  const region = requiredSetting(env, 'AWS_REGION');
  const remediator = requiredSetting(env, 'REMEDIATOR_FUNCTION_NAME');
  const lambda = new LambdaClient({ region });
  return {
    // Read again every five minutes: a signing secret regenerated in Slack (after a leak) takes effect soon.
    signingSecret: cachedSecret(new SecretsManagerClient({ region }), requiredSetting(env, 'SLACK_SIGNING_SECRET_NAME'), {
      maxAgeMs: 5 * 60_000,
    }),
    store: new ApprovalStore(new DynamoDBClient({ region }), requiredSetting(env, 'APPROVAL_TABLE_NAME')),
    ...approvalSettingsFrom(env),
    slackOrigin: {
      ...(env.SLACK_TEAM_ID ? { teamId: env.SLACK_TEAM_ID } : {}),
      ...(env.SLACK_ENTERPRISE_ID ? { enterpriseId: env.SLACK_ENTERPRISE_ID } : {}),
      ...(env.SLACK_APP_ID ? { appId: env.SLACK_APP_ID } : {}),
      ...(env.SLACK_CHANNEL_ID ? { channelId: env.SLACK_CHANNEL_ID } : {}),
    },
    startRemediation: async (job) => {
      await lambda.send(new InvokeCommand({ FunctionName: remediator, InvocationType: 'Event', Payload: JSON.stringify(job) }));
    },
    // Slack waits three seconds for the whole answer: one short try; the remediator posts the outcome.
    reply: (url, message) => postToSlack(url, message, { maxAttempts: 1, timeoutMs: 1_500 }),
    logger: new Logger({ serviceName: 'why-denied-approval' }),
    now: () => new Date(),
  };
}

const dependencies = dependenciesFrom(process.env);

export const handler = async (event: LambdaFunctionURLEvent, context: Context): Promise<LambdaFunctionURLResult> => {
  dependencies.logger.addContext(context);
  const rawBody = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  return receiveApproval({ headers: event.headers, rawBody }, dependencies);
};
