/**
 * Delivery under failure and concurrency: a real DynamoDB-compatible server (dynalite), SNS through
 * aws-sdk-client-mock, Slack as a real HTTP server on 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseEvent, parseSnapshot, readEventDocument } from '../../lambda';
import { processRequest, type ServiceDependencies } from '../../lambda/handler/processRequest';
import { SERVICE_METRIC_NAMESPACE, SERVICE_METRICS, SERVICE_NAME } from '../../lambda/handler/serviceMetrics';
import { AlertSuppressor } from '../../lambda/suppress/AlertSuppressor';
import type { DeniedRequest } from '../../lambda/model/request';
import { awsError } from '../collect/fakeAccount';
import { ApprovalStore } from '../../lambda/approve/ApprovalStore';
import { APPLY_ACTION_ID } from '../../lambda/notify/approvalBlocks';
import type { SlackPayload } from '../../lambda/notify/slackBlocks';
import { ACCOUNT, BUCKET, partnerUpload, snapshot as snapshotOf } from '../factories';
import { type LocalDynamo, startLocalDynamo } from '../helpers/localDynamo';
import { OWN_SCENARIOS } from '../helpers/paths';

const scenario = join(OWN_SCENARIOS, 'bucket-policy-denies-plain-http');
const snapshot = parseSnapshot(JSON.parse(readFileSync(join(scenario, 'snapshot.json'), 'utf8')));
const request = parseEvent(readEventDocument(readFileSync(join(scenario, 'event.json')))).requests[0]!;
const sns = mockClient(SNSClient);

let dynamo: LocalDynamo;
let slack: Server;
let slackUrl: string;
let slackStatus = 200;
let slackPosts = 0;
let slackBodies: string[] = [];
let collections = 0;
let clock = new Date('2026-11-20T09:00:00Z');

beforeAll(async () => {
  dynamo = await startLocalDynamo('alerts');
  slack = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      slackBodies.push(body);
      if (slackStatus === 200) slackPosts += 1;
      res.writeHead(slackStatus).end(slackStatus === 200 ? 'ok' : 'no_service');
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
  slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await dynamo.stop();
  await new Promise((resolve) => slack.close(resolve));
});
beforeEach(async () => {
  await dynamo.clear();
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  slackStatus = 200;
  slackPosts = 0;
  slackBodies = [];
  collections = 0;
  clock = new Date('2026-11-20T09:00:00Z');
});

function deps(metrics = new Metrics({ namespace: SERVICE_METRIC_NAMESPACE, serviceName: SERVICE_NAME })): ServiceDependencies {
  return {
    collect: async () => {
      collections += 1;
      return snapshot;
    },
    suppressor: new AlertSuppressor(dynamo.client, 'alerts', { windowSeconds: 3600, leaseSeconds: 90 }),
    sns: { client: new SNSClient({ region: 'eu-west-1' }), topicArn: 'arn:aws:sns:eu-west-1:111122223333:t' },
    slackWebhook: async () => slackUrl,
    approvals: null,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics,
    now: () => clock,
  };
}

describe('delivering an alert', () => {
  it('retries only the channel that failed, and does not send the other twice', async () => {
    slackStatus = 404;
    await expect(processRequest(request, 'msg-1#0', deps())).rejects.toThrow(/delivery failed on slack/);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    slackStatus = 200;
    clock = new Date('2026-11-20T09:06:10Z');
    await processRequest(request, 'msg-1#0', deps());
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(slackPosts).toBe(1);
  });

  it('sends one alert for two invocations of the same denial at once', async () => {
    await Promise.all([processRequest(request, 'msg-1#0', deps()), processRequest(request, 'msg-2#0', deps())]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(slackPosts).toBe(1);
  });

  it('still alerts when the first invocation never finished: the next repeat takes over after the lease', async () => {
    sns.on(PublishCommand).rejects(awsError('InternalErrorException'));
    slackStatus = 404;
    await expect(processRequest(request, 'dead-lettered#0', deps())).rejects.toThrow();
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    slackStatus = 200;
    clock = new Date('2026-11-20T09:02:00Z');
    await processRequest(request, 'later#0', deps());
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
    expect(slackPosts).toBe(1);
  });

  it('costs no AWS reads for a repeat of a request already alerted', async () => {
    await processRequest(request, 'msg-1#0', deps());
    const again = { ...request, key: request.key?.replace(/[^/]+$/, 'other-file.csv') ?? null };
    await processRequest(again, 'msg-2#0', deps());
    expect(collections).toBe(1);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('starts no reads ahead for repeats once the container saw the request alerted: a storm of them wastes none', async () => {
    const container = deps();
    const readAhead: string[] = [];
    container.readAhead = (r) => void readAhead.push(r.event.id);
    await processRequest(request, 'msg-1#0', container);
    const again = { ...request, key: request.key?.replace(/[^/]+$/, 'other-file.csv') ?? null };
    await processRequest(again, 'msg-2#0', container);
    await processRequest(again, 'msg-3#0', container);
    expect(readAhead).toHaveLength(1);
    // A new container does not know it yet: it reads ahead once, and the table still says "repeat".
    const fresh = { ...deps(), readAhead: (r: DeniedRequest) => void readAhead.push(r.event.id) };
    await processRequest(again, 'msg-4#0', fresh);
    expect(readAhead).toHaveLength(2);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('emits the service metrics under the service dimension alone, as the dashboard graphs them', async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    // The test run keeps metrics quiet (test/helpers/quietEnvironment.js); this test reads them.
    const quiet = process.env.POWERTOOLS_METRICS_DISABLED;
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    try {
      const metrics = new Metrics({ namespace: SERVICE_METRIC_NAMESPACE, serviceName: SERVICE_NAME });
      slackStatus = 404;
      await processRequest(request, 'm#0', deps(metrics)).catch(() => undefined);
      slackStatus = 200;
      await processRequest(request, 'm2#0', deps(metrics));
      metrics.publishStoredMetrics();
    } finally {
      spy.mockRestore();
      process.env.POWERTOOLS_METRICS_DISABLED = quiet;
    }
    const emitted = lines
      .flatMap((line) => line.split('\n'))
      .filter((line) => line.includes('_aws'))
      .flatMap((line) => {
        const emf = JSON.parse(line) as { _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] } };
        return emf._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((metric) => ({ name: metric.Name, dimensions: m.Dimensions[0] })));
      });
    const graphed = new Set<string>(Object.values(SERVICE_METRICS));
    const serviceLevel = emitted.filter((m) => graphed.has(m.name));
    expect(serviceLevel.map((m) => m.name)).toEqual(
      expect.arrayContaining([SERVICE_METRICS.diagnoses, SERVICE_METRICS.publishFailures, SERVICE_METRICS.suppressed]),
    );
    for (const metric of serviceLevel) expect(metric.dimensions).toEqual(['service']);
  });
});

describe('the records of one upload', () => {
  // test/fixtures/records/sse-kms-upload-pair.json: the failed PutObject, and the KMS call S3 made for it.
  const pair = parseEvent(readEventDocument(readFileSync(join(__dirname, '../fixtures/records/sse-kms-upload-pair.json')))).requests;
  const [put, kms] = pair as [DeniedRequest, DeniedRequest];
  const ofUploader = snapshotOf();
  const withUploader = (): ServiceDependencies => ({
    ...deps(),
    collect: async () => {
      collections += 1;
      return ofUploader;
    },
  });

  it.each([
    ['the PutObject', put, kms],
    ['the KMS call', kms, put],
  ])('raise one alert when %s arrives first', async (_first, first, second) => {
    await processRequest(first, 'first#0', withUploader());
    expect(await processRequest(second, 'second#0', withUploader())).toBeNull();
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(slackPosts).toBe(1);
    expect(collections).toBe(1);
  });

  it('do not hide a second PutObject of the same object: it is another request', async () => {
    const retried = { ...put, event: { ...put.event, id: 'retried-put' }, headers: { 'x-amz-acl': 'private' }, sentAclHeaders: true };
    await processRequest(put, 'first#0', withUploader());
    await processRequest(retried, 'second#0', withUploader());
    expect(collections).toBe(2);
  });

  it('are not joined to an alert that was never delivered: the second record still alerts', async () => {
    slackStatus = 404;
    await expect(processRequest(put, 'first#0', withUploader())).rejects.toThrow(/delivery failed/);
    slackStatus = 200;
    clock = new Date('2026-11-20T09:05:00Z');
    await processRequest(kms, 'second#0', withUploader());
    expect(slackPosts).toBe(1);
  });
});

describe('offering a fix for approval (-c remediation=approve)', () => {
  let approvals: LocalDynamo;
  const partner = partnerUpload();
  const partnerRequest = parseEvent(partner.record).requests[0]!;
  beforeAll(async () => {
    approvals = await startLocalDynamo('approvals', 'id');
  });
  afterAll(() => approvals.stop());

  function offering(targets: string[]): ServiceDependencies {
    return {
      ...deps(),
      collect: async () => partner.account,
      approvals: {
        store: new ApprovalStore(approvals.client, 'approvals'),
        secondApprover: false,
        targets: { accountId: ACCOUNT, targets: new Set(targets), allowKeyPolicies: false },
      },
    };
  }
  const applyButtonValue = (body: string): string | undefined =>
    (JSON.parse(body) as SlackPayload).blocks
      .flatMap((block) => (block.type === 'actions' ? block.elements : []))
      .map((button) => ('action_id' in button && button.action_id === APPLY_ACTION_ID ? button.value : undefined))
      .find(Boolean);

  it('keeps the plan before the alert goes out, and the alert’s Apply button names it', async () => {
    const withApprovals = offering([`arn:aws:s3:::${BUCKET}`]);
    await processRequest(partnerRequest, 'msg-1#0', withApprovals);
    const planId = applyButtonValue(slackBodies.at(-1)!);
    expect(planId).toMatch(/^[0-9a-f]{32}$/);
    expect(await withApprovals.approvals!.store.load(planId!)).toMatchObject({ state: 'proposed', plan: { id: planId, applicable: true } });
  });

  it('still alerts, without the button, when the approvals table fails; logs the event id and counts it', async () => {
    const metrics = new Metrics({ namespace: SERVICE_METRIC_NAMESPACE, serviceName: SERVICE_NAME });
    const logged: unknown[] = [];
    const logger = new Logger({ serviceName: SERVICE_NAME, logLevel: 'SILENT' });
    jest.spyOn(logger, 'error').mockImplementation((...args: unknown[]) => void logged.push(args));
    const withApprovals = { ...offering([`arn:aws:s3:::${BUCKET}`]), metrics, logger };
    const failing = new ApprovalStore(dynamo.client, 'no-such-table');
    await processRequest(partnerRequest, 'msg-1#0', { ...withApprovals, approvals: { ...withApprovals.approvals!, store: failing } });
    expect(slackPosts).toBe(1);
    expect(applyButtonValue(slackBodies.at(-1)!)).toBeUndefined();
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(logged).toEqual([[expect.stringContaining('not offered'), expect.objectContaining({ eventId: partnerRequest.event.id })]]);
    expect(JSON.stringify(metrics.serializeMetrics())).toContain(SERVICE_METRICS.proposalFailures);
  });

  it('offers no button for a target the remediator was not deployed to change', async () => {
    await processRequest(partnerRequest, 'msg-1#0', offering([]));
    expect(applyButtonValue(slackBodies.at(-1)!)).toBeUndefined();
  });
});
