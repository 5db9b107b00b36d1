/**
 * The live path, black-box: the bundle the stack deploys, run in fresh Node processes, every AWS call
 * answered over HTTP by the stand-in `delayMs` after it arrives (DynamoDB included), Slack a local endpoint.
 * Per record: added latency from the batch's start (before module load, when cold) to Slack's receipt;
 * AWS calls; and sequential round trips before chat — the longest chain of calls each of which waited for
 * the one before it to be answered.
 *  - cold: a new container, an empty table;
 *  - organization shared: a new container, the organization already shared in the table by another one;
 *  - warm: the same container again, a new upload of the same role and bucket.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeleteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { parseEvent, parseSnapshot, readEventDocument } from '../lambda';
import { answerFrom, resetAws } from '../test/collect/fakeAccount';
import { type LocalDynamo, startLocalDynamo } from '../test/helpers/localDynamo';
import { sequentialRoundTrips } from '../test/helpers/roundTrips';
import { synthesizeBundle } from './deployedBundle';
import { type StandIn, startStandIn } from './standIn/awsStandIn';

const ROOT = resolve(__dirname, '../..');
const SCENARIOS = join(ROOT, 'test/fixtures/scenarios');
export const LATENCY_SCENARIOS = [
  'session-policy-read-only',
  'bucket-policy-requires-specific-kms-key',
  'identity-allow-requires-acl-header',
  'bucket-policy-denies-plain-http',
  'kms-key-disabled',
];
const TABLE = 'why-denied-bench';
const ORGANIZATION_SHARE = 'organization:';

interface Run {
  latencyMs: number;
  calls: number;
  roundTripsBeforeChat: number;
  operations: string[];
}

function batchOf(record: Record<string, unknown>, run: string): SQSEvent {
  const detail = { ...record, eventID: `bench-${run}`, requestID: `BENCH${run.replace(/\W/g, '').toUpperCase()}` };
  const body = JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.s3', id: `envelope-${run}`, detail });
  return {
    Records: [
      {
        messageId: `message-${run}`,
        receiptHandle: 'r',
        body,
        attributes: { ApproximateReceiveCount: '1' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:q',
        awsRegion: 'eu-west-1',
      },
    ],
  } as unknown as SQSEvent;
}

/** Forgets every alert, keeping only what `keep` names (the shared organization). */
async function forgetAlerts(dynamo: LocalDynamo, keep: (key: string) => boolean): Promise<void> {
  const items = await dynamo.client.send(new ScanCommand({ TableName: TABLE }));
  await Promise.all(
    (items.Items ?? [])
      .filter((item) => !keep(item.fingerprint?.S ?? ''))
      .map((item) => dynamo.client.send(new DeleteItemCommand({ TableName: TABLE, Key: { fingerprint: item.fingerprint! } }))),
  );
}

type Message = { kind: 'loaded'; initMs: number } | { kind: 'ran'; startedAt: number; finishedAt: number };

/** One container: its first batch runs cold; `warm` more batches run in it afterwards. */
async function runContainer(bundle: string, standIn: StandIn, env: NodeJS.ProcessEnv, batches: SQSEvent[], between: () => Promise<void>) {
  const runs: Run[] = [];
  const child = fork(join(__dirname, 'standIn/runBundle.js'), [bundle, JSON.stringify(batches[0])], {
    execArgv: ['-r', join(__dirname, 'standIn/redirectToStandIn.js')],
    env,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let next = 1;
  let callsBefore = standIn.calls.length;
  let slackBefore = standIn.slackArrivals.length;
  await new Promise<void>((resolveAll, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code ? reject(new Error(`the container exited with ${code}`)) : resolveAll()));
    child.on('message', (message: Message) => {
      if (message.kind !== 'ran') return;
      void (async () => {
        const calls = standIn.calls.slice(callsBefore);
        const chat = standIn.slackArrivals[slackBefore];
        if (chat === undefined) throw new Error('the record reached no chat');
        runs.push({
          latencyMs: chat - message.startedAt,
          calls: calls.length,
          roundTripsBeforeChat: sequentialRoundTrips(calls.filter((c) => c.answeredAt <= chat)),
          operations: calls.map((c) => `${c.service}:${c.operation}`),
        });
        if (next >= batches.length) {
          child.kill();
          return;
        }
        await between();
        callsBefore = standIn.calls.length;
        slackBefore = standIn.slackArrivals.length;
        child.send(batches[next]);
        next += 1;
      })().catch((error: unknown) => {
        child.kill();
        reject(error as Error);
      });
    });
  });
  return runs;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

function summary(runs: Run[]) {
  const latencies = runs.map((r) => r.latencyMs);
  return {
    runs: runs.length,
    p50Ms: Math.round(percentile(latencies, 50)),
    p99Ms: Math.round(percentile(latencies, 99)),
    maxAwsCalls: Math.max(...runs.map((r) => r.calls)),
    maxRoundTripsBeforeChat: Math.max(...runs.map((r) => r.roundTripsBeforeChat)),
  };
}

export async function measureLatency(options: { delayMs: number; runsPerScenario: number }) {
  const deployed = synthesizeBundle();
  const dynamo = await startLocalDynamo(TABLE);
  const standIn = await startStandIn({ delayMs: options.delayMs, dynamoPort: Number(new URL(dynamo.endpoint).port) });
  const all = { cold: [] as Run[], organizationShared: [] as Run[], warm: [] as Run[] };
  const perScenario: Record<string, Record<'cold' | 'organizationShared' | 'warm', ReturnType<typeof summary> & { calls: string[] }>> = {};
  try {
    for (const name of LATENCY_SCENARIOS) {
      const record = JSON.parse(readFileSync(join(SCENARIOS, name, 'event.json'), 'utf8')) as Record<string, unknown>;
      const request = parseEvent(readEventDocument(readFileSync(join(SCENARIOS, name, 'event.json')))).requests[0]!;
      resetAws();
      answerFrom(parseSnapshot(JSON.parse(readFileSync(join(SCENARIOS, name, 'snapshot.json'), 'utf8'))), request);
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        // The one module the bundle leaves to the Lambda runtime's SDK (see lib/serviceFunction.ts).
        NODE_PATH: join(ROOT, 'node_modules'),
        NODE_NO_WARNINGS: '1',
        WHY_DENIED_STAND_IN_PORT: String(standIn.port),
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIDSTANDIN',
        AWS_SECRET_ACCESS_KEY: 'stand-in',
        AWS_SESSION_TOKEN: 'stand-in',
        AWS_EC2_METADATA_DISABLED: 'true',
        ACCOUNT_ID: request.caller.accountId,
        SUPPRESSION_TABLE_NAME: TABLE,
        SUPPRESSION_WINDOW_SECONDS: '3600',
        CLAIM_LEASE_SECONDS: '90',
        LOOKUP_EVENTS_PER_SECOND: '0.4',
        POWERTOOLS_SERVICE_NAME: 'why-denied',
        POWERTOOLS_METRICS_NAMESPACE: 'WhyDenied',
        TOPIC_ARN: `arn:aws:sns:eu-west-1:${request.caller.accountId}:why-denied`,
        SLACK_WEBHOOK_SECRET_NAME: 'why-denied/slack-webhook',
      };
      const keepNothing = () => false;
      const keepOrganization = (key: string) => key.startsWith(ORGANIZATION_SHARE);
      const batch = (label: string) => batchOf(record, `${name}-${label}`);
      const scenario = { cold: [] as Run[], organizationShared: [] as Run[], warm: [] as Run[] };
      for (let i = 0; i < options.runsPerScenario; i += 1) {
        await forgetAlerts(dynamo, keepNothing);
        scenario.cold.push(...(await runContainer(deployed.path, standIn, env, [batch(`cold-${i}`)], async () => {})));
      }
      for (let i = 0; i < options.runsPerScenario; i += 1) {
        await forgetAlerts(dynamo, keepOrganization);
        scenario.organizationShared.push(...(await runContainer(deployed.path, standIn, env, [batch(`shared-${i}`)], async () => {})));
      }
      await forgetAlerts(dynamo, keepNothing);
      const warmBatches = Array.from({ length: options.runsPerScenario + 1 }, (_, i) => batch(`warm-${i}`));
      const warmRuns = await runContainer(deployed.path, standIn, env, warmBatches, () => forgetAlerts(dynamo, keepOrganization));
      scenario.warm.push(...warmRuns.slice(1));
      all.cold.push(...scenario.cold);
      all.organizationShared.push(...scenario.organizationShared);
      all.warm.push(...scenario.warm);
      const described = (runs: Run[]) => ({ ...summary(runs), calls: runs[0]?.operations ?? [] });
      perScenario[name] = {
        cold: described(scenario.cold),
        organizationShared: described(scenario.organizationShared),
        warm: described(scenario.warm),
      };
    }
  } finally {
    await standIn.stop();
    await dynamo.stop();
    deployed.remove();
  }
  return {
    delayPerCallMs: options.delayMs,
    scenarios: LATENCY_SCENARIOS.length,
    cold: summary(all.cold),
    organizationShared: summary(all.organizationShared),
    warm: summary(all.warm),
    perScenario,
  };
}
