/**
 * Alerts routed by account or OU (#24): a map of route key → SNS topic and/or Slack webhook secret, tried
 * from the caller's account outwards, with the default channels for what no route names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseEvent, parseSnapshot, readEventDocument } from '../../lambda';
import { routesFrom } from '../../lambda/handler/alertRouting';
import { processRequest, type ServiceDependencies } from '../../lambda/handler/processRequest';
import { routeKeysOf } from '../../lambda/notify/routeKeys';
import { alertRoutesFrom } from '../../lambda/settings/alertRoutes';
import { AlertSuppressor } from '../../lambda/suppress/AlertSuppressor';
import { type LocalDynamo, startLocalDynamo } from '../helpers/localDynamo';
import { OWN_SCENARIOS } from '../helpers/paths';

const scenario = join(OWN_SCENARIOS, 'bucket-policy-denies-plain-http');
const snapshot = parseSnapshot(JSON.parse(readFileSync(join(scenario, 'snapshot.json'), 'utf8')));
const request = parseEvent(readEventDocument(readFileSync(join(scenario, 'event.json')))).requests[0]!;
const DEFAULT_TOPIC = 'arn:aws:sns:eu-west-1:111122223333:why-denied';
const FINANCE_TOPIC = 'arn:aws:sns:eu-west-1:111122223333:finance-alerts';

const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo('routes');
});
afterAll(() => dynamo.stop());
beforeEach(async () => {
  await dynamo.clear();
  sns.reset();
  secrets.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
});

function deps(routes: string): ServiceDependencies {
  const client = new SNSClient({ region: 'eu-west-1' });
  return {
    collect: async () => snapshot,
    suppressor: new AlertSuppressor(dynamo.client, 'routes', { windowSeconds: 3600, leaseSeconds: 90 }),
    sns: { client, topicArn: DEFAULT_TOPIC },
    slackWebhook: null,
    route: routesFrom(alertRoutesFrom(routes), { sns: client, secrets: new SecretsManagerClient({ region: 'eu-west-1' }), amazonQ: false }),
    approvals: null,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'Test' }),
    now: () => new Date('2026-11-20T09:00:00Z'),
  };
}

const publishedTo = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input.TopicArn);

describe('alerts routed by account or OU', () => {
  it('tries the caller’s account, the bucket owner’s, then the OUs above the caller from the nearest to the root', () => {
    expect(routeKeysOf(request, snapshot)).toEqual(['210987654321', 'ou-nw01-fin00001', 'r-nw01']);
  });

  it('sends a denial in an OU with a route to that route’s topic, not the default one', async () => {
    await processRequest(request, 'm-1#0', deps(JSON.stringify({ 'ou-nw01-fin00001': { topicArn: FINANCE_TOPIC } })));
    expect(publishedTo()).toEqual([FINANCE_TOPIC]);
  });

  it('prefers the account’s own route to its OU’s', async () => {
    const routes = {
      '210987654321': { topicArn: 'arn:aws:sns:eu-west-1:111122223333:exporter' },
      'ou-nw01-fin00001': { topicArn: FINANCE_TOPIC },
    };
    await processRequest(request, 'm-1#0', deps(JSON.stringify(routes)));
    expect(publishedTo()).toEqual(['arn:aws:sns:eu-west-1:111122223333:exporter']);
  });

  it('keeps the default topic when a route names only a Slack webhook, and reads that webhook', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: 'finance/slack' })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(
      processRequest(request, 'm-1#0', deps(JSON.stringify({ 'r-nw01': { slackWebhookSecretName: 'finance/slack' } }))),
    ).rejects.toThrow(/delivery failed on slack/);
    expect(publishedTo()).toEqual([DEFAULT_TOPIC]);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'finance/slack' });
  });

  it('uses the default channels when no route matches', async () => {
    await processRequest(request, 'm-1#0', deps(JSON.stringify({ '444455556666': { topicArn: FINANCE_TOPIC } })));
    expect(publishedTo()).toEqual([DEFAULT_TOPIC]);
  });

  it.each([
    ['{', /not JSON/],
    ['{"finance": {"topicArn": "arn:aws:sns:eu-west-1:111122223333:t"}}', /"finance" is not an account, OU or root id/],
    ['{"111122223333": {"topicArn": "https://example.com"}}', /not an SNS topic ARN/],
    ['{"111122223333": {}}', /names neither/],
  ])('refuses ALERT_ROUTES %s by name', (text, message) => {
    expect(() => alertRoutesFrom(text)).toThrow(message);
  });
});
