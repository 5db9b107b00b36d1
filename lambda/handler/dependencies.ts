/**
 * Everything the handler needs, built once per container from its environment: clients, the collector
 * cache (so a burst of denials for one role and bucket costs almost no API calls) and the Slack webhook,
 * read from Secrets Manager on first use and kept, never logged.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { accountClients } from '../collect/awsClients';
import { collectSnapshot } from '../collect/collectSnapshot';
import { RateLimiter } from '../collect/RateLimiter';
import { TtlCache } from '../collect/TtlCache';
import { AlertSuppressor } from '../suppress/AlertSuppressor';
import type { ServiceDependencies } from './processRequest';

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigurationError(`environment variable ${name} is not set`);
  return value;
}

export function dependenciesFrom(env: NodeJS.ProcessEnv): ServiceDependencies {
  const region = required(env, 'AWS_REGION');
  const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'why-denied' });
  const metrics = new Metrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? 'WhyDenied', serviceName: 'why-denied' });
  const cache = new TtlCache(Number(env.COLLECTOR_CACHE_SECONDS ?? '300') * 1000);
  const lookupLimiter = new RateLimiter(2, 2_000);
  const homeAccountId = required(env, 'ACCOUNT_ID');
  const clientsFor = accountClients({
    homeAccountId,
    region,
    ...(env.CROSS_ACCOUNT_ROLE_NAME ? { crossAccountRoleName: env.CROSS_ACCOUNT_ROLE_NAME } : {}),
  });
  const secretName = env.SLACK_WEBHOOK_SECRET_NAME;
  let webhook: Promise<string> | null = null;
  const secrets = secretName ? new SecretsManagerClient({ region }) : null;
  return {
    collect: async (request) =>
      (await collectSnapshot(request, { homeAccountId, clientsFor, cache, lookupLimiter, now: () => new Date() })).snapshot,
    suppressor: new AlertSuppressor(
      new DynamoDBClient({ region }),
      required(env, 'SUPPRESSION_TABLE_NAME'),
      Number(env.SUPPRESSION_WINDOW_SECONDS ?? '3600'),
    ),
    sns: env.TOPIC_ARN ? { client: new SNSClient({ region }), topicArn: env.TOPIC_ARN } : null,
    slackWebhook:
      secrets && secretName
        ? () => {
            webhook ??= secrets.send(new GetSecretValueCommand({ SecretId: secretName })).then((s) => {
              if (!s.SecretString) throw new ConfigurationError(`secret ${secretName} holds no string`);
              return s.SecretString.trim();
            });
            webhook.catch(() => {
              webhook = null;
            });
            return webhook;
          }
        : null,
    logger,
    metrics,
    now: () => new Date(),
  };
}
