/**
 * Everything the handler needs, built once per container from its environment: clients, the collector
 * cache (so a burst of denials for one role and bucket costs almost no API calls) and the Slack webhook,
 * read from Secrets Manager on first use and kept, never logged.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { accountClients, CONNECTION_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../collect/awsClients';
import { collectSnapshot, readAhead } from '../collect/collectSnapshot';
import { DynamoOrganizationStore } from '../collect/SharedOrganization';
import { isOrganizationMember } from '../collect/organizationMember';
import { LOOKUP_EVENTS_PER_SECOND, RateLimiter } from '../collect/RateLimiter';
import { SharedRateLimiter } from '../collect/SharedRateLimiter';
import { oncePerKey } from '../collect/oncePerKey';
import { TtlCache } from '../collect/TtlCache';
import { ApprovalStore } from '../approve/ApprovalStore';
import { listFromSetting } from '../settings/listFromSetting';
import { alertRoutesFrom } from '../settings/alertRoutes';
import { routesFrom } from './alertRouting';
import { AlertSuppressor } from '../suppress/AlertSuppressor';
import { TableReader } from '../suppress/TableReader';
import { cachedSecret } from '../settings/cachedSecret';
import { jsonObjectSetting } from '../settings/jsonSetting';
import { ConfigurationError, requiredSetting } from '../settings/ConfigurationError';
import type { ServiceDependencies } from './processRequest';
import { SERVICE_METRIC_NAMESPACE, SERVICE_NAME } from './serviceMetrics';

/** `BUCKET_OWNERS`, as the stack writes it: a JSON object of bucket name → 12-digit account id. */
function bucketOwnersFrom(text: string | undefined): Record<string, string> {
  if (!text) return {};
  const owners: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [bucket, account] of Object.entries(jsonObjectSetting('BUCKET_OWNERS', text))) {
    if (typeof account !== 'string' || !/^\d{12}$/.test(account))
      throw new ConfigurationError(`BUCKET_OWNERS: ${bucket} has no 12-digit account`);
    owners[bucket] = account;
  }
  return owners;
}

export function dependenciesFrom(env: NodeJS.ProcessEnv): ServiceDependencies {
  const region = requiredSetting(env, 'AWS_REGION');
  const logger = new Logger({ serviceName: SERVICE_NAME });
  const metrics = new Metrics({ namespace: SERVICE_METRIC_NAMESPACE, serviceName: SERVICE_NAME });
  const cache = new TtlCache(Number(env.COLLECTOR_CACHE_SECONDS ?? '300') * 1000);
  const ownShare = Number(env.LOOKUP_EVENTS_PER_SECOND ?? String(LOOKUP_EVENTS_PER_SECOND));
  const homeAccountId = requiredSetting(env, 'ACCOUNT_ID');
  const clientsFor = accountClients({
    homeAccountId,
    region,
    ...(env.CROSS_ACCOUNT_ROLE_NAME ? { crossAccountRoleName: env.CROSS_ACCOUNT_ROLE_NAME } : {}),
    ...(env.CROSS_ACCOUNT_EXTERNAL_ID ? { crossAccountExternalId: env.CROSS_ACCOUNT_EXTERNAL_ID } : {}),
  });
  const requestHandler = new NodeHttpHandler({ connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS });
  const bucketOwners = bucketOwnersFrom(env.BUCKET_OWNERS);
  const tableName = requiredSetting(env, 'SUPPRESSION_TABLE_NAME');
  const dynamo = new DynamoDBClient({ region, requestHandler });
  // Organizations changes rarely; fifteen minutes of sharing saves a dozen calls on every cold container.
  const reader = new TableReader(dynamo, tableName);
  const sharedOrganization = new DynamoOrganizationStore(dynamo, tableName, 15 * 60, () => new Date(), reader);
  // Every instance the queue may run shares each account's LookupEvents limit in each region through the
  // table; when the table cannot be asked, an instance keeps to the share the stack sets for it.
  const budgetOf = oncePerKey(
    (scope) =>
      new SharedRateLimiter({
        client: dynamo,
        tableName,
        keyName: 'fingerprint',
        scope,
        perSecond: LOOKUP_EVENTS_PER_SECOND,
        maxWaitMs: 4_000,
        fallback: new RateLimiter(ownShare, 2_000),
      }),
  );
  const lookupBudget = (accountId: string, lookupRegion: string) => budgetOf(`${accountId}:${lookupRegion}`);
  const secretName = env.SLACK_WEBHOOK_SECRET_NAME;
  const secrets = new SecretsManagerClient({ region, requestHandler });
  const sns = new SNSClient({ region, requestHandler });
  const amazonQ = env.AMAZON_Q_NOTIFICATIONS === 'true';
  const collectorDeps = {
    homeAccountId,
    region,
    bucketOwners,
    sharedOrganization,
    clientsFor,
    cache,
    lookupBudget,
    now: () => new Date(),
  };
  return {
    collect: async (request) => (await collectSnapshot(request, collectorDeps)).snapshot,
    readAhead: (request) => readAhead(request, collectorDeps),
    bothCopies: Boolean(env.ORGANIZATION_ID),
    isOrganizationMember: (accountId) => isOrganizationMember(accountId, collectorDeps),
    written: () => sharedOrganization.written(),
    suppressor: new AlertSuppressor(
      dynamo,
      tableName,
      {
        windowSeconds: Number(env.SUPPRESSION_WINDOW_SECONDS ?? '3600'),
        leaseSeconds: Number(env.CLAIM_LEASE_SECONDS ?? '90'),
      },
      reader,
    ),
    sns: env.TOPIC_ARN ? { client: sns, topicArn: env.TOPIC_ARN, amazonQ } : null,
    slackWebhook: secretName ? cachedSecret(secrets, secretName) : null,
    route: routesFrom(alertRoutesFrom(env.ALERT_ROUTES), { sns, secrets, amazonQ }),
    approvals: env.APPROVAL_TABLE_NAME
      ? {
          store: new ApprovalStore(dynamo, env.APPROVAL_TABLE_NAME),
          secondApprover: env.SECOND_APPROVER === 'true',
          targets: {
            accountId: homeAccountId,
            targets: new Set(listFromSetting(env.REMEDIATION_TARGETS)),
            allowKeyPolicies: env.ALLOW_KEY_POLICIES === 'true',
          },
        }
      : null,
    logger,
    metrics,
    now: () => new Date(),
  };
}
