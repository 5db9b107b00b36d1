/**
 * The deployed service's figures: the Lambda bundle as `cdk synth` builds it, its cold init time in a
 * fresh Node process, and a burst of identical denials through the record path with real suppression
 * (dynalite) and AWS mocked.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { parseSnapshot } from '../lambda';
import { processRecord } from '../lambda/handler/processRecord';
import { AlertSuppressor } from '../lambda/suppress/AlertSuppressor';
import { synthesizeBundle } from './deployedBundle';
import { startLocalDynamo } from '../test/helpers/localDynamo';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(__dirname, '../..');
const SCENARIO = join(ROOT, 'test/fixtures/scenarios/bucket-policy-denies-plain-http');

function bundle() {
  const deployed = synthesizeBundle();
  try {
    const env = {
      ...process.env,
      AWS_REGION: 'eu-west-1',
      ACCOUNT_ID: '111122223333',
      SUPPRESSION_TABLE_NAME: 't',
      NODE_NO_WARNINGS: '1',
    };
    const probe =
      'const t=process.hrtime.bigint();require(process.argv[1]);process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
    const inits = Array.from({ length: 5 }, () =>
      Number(execFileSync(process.execPath, ['-e', probe, deployed.path], { env, encoding: 'utf8' })),
    );
    return {
      bundleBytes: statSync(deployed.path).size,
      bundleGzipBytes: gzipSync(readFileSync(deployed.path)).length,
      initMilliseconds: Number(inits.sort((a, b) => a - b)[2]?.toFixed(1)),
    };
  } finally {
    deployed.remove();
  }
}

async function burst(events: number) {
  const dynamo = await startLocalDynamo('burst');
  const sns = mockClient(SNSClient);
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  const record = readFileSync(join(SCENARIO, 'event.json'), 'utf8');
  const snapshot = parseSnapshot(JSON.parse(readFileSync(join(SCENARIO, 'snapshot.json'), 'utf8')));
  let collections = 0;
  const deps = {
    collect: async () => {
      collections += 1;
      return snapshot;
    },
    suppressor: new AlertSuppressor(dynamo.client, 'burst', { windowSeconds: 3600, leaseSeconds: 90 }),
    sns: { client: new SNSClient({ region: 'eu-west-1' }), topicArn: 'arn:aws:sns:eu-west-1:111122223333:t' },
    slackWebhook: null,
    approvals: null,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'Bench' }),
    now: () => new Date('2026-11-20T09:30:00Z'),
  };
  const body = JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', detail: JSON.parse(record) });
  const samples: number[] = [];
  let failed = 0;
  for (let wave = 0; wave < events / 50; wave += 1) {
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const started = process.hrtime.bigint();
        try {
          await processRecord({ messageId: `${wave}-${i}`, body } as SQSRecord, deps);
        } catch {
          failed += 1;
        }
        samples.push(Number(process.hrtime.bigint() - started) / 1000);
      }),
    );
  }
  await dynamo.stop();
  samples.sort((a, b) => a - b);
  const processed = samples.length - failed;
  return {
    events,
    // Every event of the burst is the same denial, so all share one fingerprint.
    published: sns.commandCalls(PublishCommand).length,
    accountedFor: processed,
    // Repeats found by the pre-check cost no AWS reads; the rest raced the first alert's delivery.
    snapshotsCollected: collections,
    unaccountedFor: events - processed,
    p50Microseconds: Math.round(samples[Math.floor(samples.length / 2)] ?? 0),
    p99Microseconds: Math.round(samples[Math.floor(samples.length * 0.99)] ?? 0),
  };
}

export async function measureService() {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  return { ...bundle(), burst: await burst(10_000) };
}
