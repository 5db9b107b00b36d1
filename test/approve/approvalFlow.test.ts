/**
 * Approval in chat, end to end in-process: the diagnoser keeps a plan and offers it, Slack's signed click
 * reaches the endpoint (signature, window, replay, approver list, conditional claim), the remediator
 * applies it against a bucket policy kept by aws-sdk-client-mock, and every reply reaches a real HTTP
 * server standing in for Slack's response URL. DynamoDB is dynalite: real conditional writes.
 */
import { createHmac } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  AccessAnalyzerClient,
  CheckAccessNotGrantedCommand,
  CheckNoPublicAccessCommand,
  ValidatePolicyCommand,
} from '@aws-sdk/client-accessanalyzer';
import { type AttributeValue, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseEvent } from '../../lambda';
import { ApprovalStore } from '../../lambda/approve/ApprovalStore';
import { carryOut, type RemediatorDependencies } from '../../lambda/approve/carryOut';
import { type Proposal, proposeFix } from '../../lambda/approve/proposeFix';
import { type ApprovalDependencies, receiveApproval } from '../../lambda/approve/receiveApproval';
import type { RemediationJob } from '../../lambda/approve/RemediationJob';
import { APPLY_ACTION_ID, ROLLBACK_ACTION_ID } from '../../lambda/notify/approvalBlocks';
import { postToSlack } from '../../lambda/notify/postToSlack';
import { DEFAULT_SENSITIVE_ACTIONS } from '../../lambda/remediate/runGuards';
import { awsError } from '../collect/fakeAccount';
import { LiveBucketPolicy } from '../remediate/liveBucketPolicy';
import { ACCOUNT, BUCKET, partnerUpload, policy, TLS_ONLY } from '../factories';
import { FakeWebhook } from '../helpers/fakeWebhook';
import { type LocalDynamo, startLocalDynamo } from '../helpers/localDynamo';

const SECRET = 'signing-secret-for-tests';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0002';
const MALLORY = 'U0MALLORY';
const TEAM = 'T0ACME01';
const APP = 'A0WHYDENIED';
const DAY = 24 * 3600;
const s3 = mockClient(S3Client);
const analyzer = mockClient(AccessAnalyzerClient);
const partner = partnerUpload();
const request = parseEvent(partner.record).requests[0]!;

let dynamo: LocalDynamo;
let store: ApprovalStore;
let slack: FakeWebhook;
let slackOrigin: string;
let live: LiveBucketPolicy;
let jobs: RemediationJob[];
let logs: { level: string; message: string; fields: Record<string, unknown> }[];
let clock: Date;

const recordingLogger = (): Logger => {
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      logs.push({ level, message, fields });
  return { info: at('info'), warn: at('warn'), error: at('error'), addContext: () => undefined } as unknown as Logger;
};

const targets = { accountId: ACCOUNT, targets: new Set([`arn:aws:s3:::${BUCKET}`]), allowKeyPolicies: false };

function endpoint(overrides: Partial<ApprovalDependencies> = {}): ApprovalDependencies {
  return {
    signingSecret: async () => SECRET,
    store,
    approverIds: new Set([ALICE, BOB]),
    secondApprover: false,
    responseUrlPrefixes: [`${slackOrigin}/`],
    startRemediation: async (job) => {
      jobs.push(job);
    },
    maxPlanAgeSeconds: DAY,
    slackOrigin: { teamId: TEAM, appId: APP },
    reply: (url, message) => postToSlack(url, message, { maxAttempts: 1 }),
    logger: recordingLogger(),
    now: () => clock,
    ...overrides,
  };
}

function remediator(overrides: Partial<RemediatorDependencies> = {}): RemediatorDependencies {
  return {
    store,
    clients: {
      s3: new S3Client({ region: 'us-west-2' }),
      iam: new IAMClient({ region: 'us-west-2' }),
      kms: () => new KMSClient({ region: 'us-west-2' }),
      ec2: new EC2Client({ region: 'us-west-2' }),
      analyzer: new AccessAnalyzerClient({ region: 'us-west-2' }),
    },
    freshSnapshot: async () => live.in(partner.account),
    targets,
    sensitiveActions: DEFAULT_SENSITIVE_ACTIONS,
    approverIds: new Set([ALICE, BOB]),
    secondApprover: false,
    maxPlanAgeSeconds: DAY,
    responseUrlPrefixes: [`${slackOrigin}/`],
    reply: (url, message) => postToSlack(url, message, { maxAttempts: 1 }),
    logger: recordingLogger(),
    now: () => clock,
    ...overrides,
  };
}

interface ClickOptions {
  action?: string;
  secret?: string;
  ageSeconds?: number;
  team?: string;
  /** The plan whose button the clicked message carries: a look-alike carries another, or none. */
  messagePlan?: string | null;
}

/** A click as Slack posts it: form-encoded `payload`, signed over `v0:<timestamp>:<body>` with the app's secret. */
function click(planId: string, userId: string, options: ClickOptions = {}) {
  const action = options.action ?? APPLY_ACTION_ID;
  const messagePlan = options.messagePlan === undefined ? planId : options.messagePlan;
  const payload = {
    type: 'block_actions',
    team: { id: options.team ?? TEAM, domain: 'acme' },
    api_app_id: APP,
    user: { id: userId, username: userId.toLowerCase(), team_id: options.team ?? TEAM },
    container: { type: 'message', message_ts: '1764670000.123456' },
    channel: { id: 'C0ALERTS1' },
    message: {
      ts: '1764670000.123456',
      blocks: messagePlan ? [{ type: 'actions', elements: [{ type: 'button', action_id: action, value: messagePlan }] }] : [],
    },
    response_url: `${slackOrigin}/actions/T000/1/response-token`,
    actions: [{ action_id: action, value: planId, type: 'button' }],
  };
  const rawBody = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const timestamp = Math.floor(clock.getTime() / 1000) - (options.ageSeconds ?? 0);
  const signature = `v0=${createHmac('sha256', options.secret ?? SECRET)
    .update(`v0:${timestamp}:${rawBody}`)
    .digest('hex')}`;
  return { headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) }, rawBody };
}

async function propose(): Promise<Proposal> {
  const proposal = await proposeFix(request, partner.account, { store, secondApprover: false, targets }, clock);
  if (!proposal) throw new Error('the partner upload has an applicable plan');
  return proposal;
}

const replies = () => slack.received.map((r) => JSON.parse(r.body) as { text: string; response_type: string; thread_ts?: string });
const auditEvents = async () =>
  ((await dynamo.client.send(new ScanCommand({ TableName: 'approvals' }))).Items ?? [])
    .filter((item) => item.id?.S?.startsWith('audit:'))
    .map((item) => item.event?.S)
    .sort();

beforeAll(async () => {
  dynamo = await startLocalDynamo('approvals', 'id');
  store = new ApprovalStore(dynamo.client, 'approvals');
});
afterAll(() => dynamo.stop());

beforeEach(async () => {
  await dynamo.clear();
  slack = new FakeWebhook([{ status: 200 }]);
  slackOrigin = new URL(await slack.start()).origin;
  live = new LiveBucketPolicy(policy(TLS_ONLY));
  jobs = [];
  logs = [];
  clock = new Date('2026-12-02T10:00:00Z');
  s3.reset();
  live.serve(s3);
  analyzer.reset();
  analyzer.on(ValidatePolicyCommand).resolves({ findings: [] });
  analyzer.on(CheckNoPublicAccessCommand).resolves({ result: 'PASS' });
  analyzer.on(CheckAccessNotGrantedCommand).resolves({ result: 'PASS' });
});
afterEach(() => slack.stop());

describe('approval in chat', () => {
  it('applies exactly the offered plan after one approval, verifies it, records the audit, and rolls it back on request', async () => {
    const { plan } = await propose();
    expect(await receiveApproval(click(plan.id, ALICE), endpoint())).toEqual({ statusCode: 200, body: '' });
    expect(jobs).toEqual([{ kind: 'apply', planId: plan.id }]);

    await carryOut(jobs[0]!, remediator());
    expect(live.document).toBe(plan.steps[0]!.parameters.Policy);
    expect(await store.load(plan.id)).toMatchObject({ state: 'applied', approvers: [ALICE] });
    expect(await auditEvents()).toEqual(['applied', 'approved']);
    expect(replies().map((r) => r.text)).toEqual([
      expect.stringContaining(`<@${ALICE}> approved: applying PutBucketPolicy on arn:aws:s3:::${BUCKET}`),
      expect.stringContaining(':white_check_mark: Applied with the approval of'),
    ]);
    expect(replies().every((r) => r.thread_ts === '1764670000.123456' && r.response_type === 'in_channel')).toBe(true);
    expect(slack.received[1]!.body).toContain(ROLLBACK_ACTION_ID);

    clock = new Date(clock.getTime() + 60_000);
    await receiveApproval(click(plan.id, BOB, { action: ROLLBACK_ACTION_ID }), endpoint());
    await carryOut(jobs[1]!, remediator());
    expect(live.document).toBe(JSON.stringify(policy(TLS_ONLY)));
    expect(await store.load(plan.id)).toMatchObject({ state: 'rolled-back-on-request' });
    expect(replies().at(-1)!.text).toContain(`Rolled back at the request of <@${BOB}>`);
  });

  it.each([
    ['a forged signature', { secret: 'not-the-secret' }],
    ['a request older than five minutes', { ageSeconds: 301 }],
    ['a request from the future', { ageSeconds: -301 }],
  ])('refuses %s: nothing recorded, nothing started, logged', async (_name, options) => {
    const { plan } = await propose();
    expect(await receiveApproval(click(plan.id, ALICE, options), endpoint())).toEqual({ statusCode: 401, body: '' });
    expect(jobs).toEqual([]);
    expect(await store.load(plan.id)).toMatchObject({ state: 'proposed' });
    expect(logs).toEqual([expect.objectContaining({ level: 'warn', message: 'refused an approval request' })]);
  });

  it('refuses a replayed request, even within the five minutes', async () => {
    const { plan } = await propose();
    const signed = click(plan.id, ALICE);
    await receiveApproval(signed, endpoint());
    expect(await receiveApproval(signed, endpoint())).toEqual({ statusCode: 401, body: '' });
    expect(jobs).toHaveLength(1);
    expect(logs.map((l) => l.message)).toContain('refused a replayed approval request');
  });

  it('refuses a user not on the approver list, privately, and changes nothing', async () => {
    const { plan } = await propose();
    expect(await receiveApproval(click(plan.id, MALLORY), endpoint())).toEqual({ statusCode: 200, body: '' });
    expect(jobs).toEqual([]);
    expect(await store.load(plan.id)).toMatchObject({ state: 'proposed' });
    expect(replies()).toEqual([expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining('not on') })]);
    expect(logs).toEqual([
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ slackUser: MALLORY, planId: plan.id }) }),
    ]);
  });

  it('starts a plan once when two approvers click at the same moment', async () => {
    const { plan } = await propose();
    await Promise.all([receiveApproval(click(plan.id, ALICE), endpoint()), receiveApproval(click(plan.id, BOB), endpoint())]);
    expect(jobs).toHaveLength(1);
    expect(replies().filter((r) => r.response_type === 'ephemeral')).toEqual([
      expect.objectContaining({ text: expect.stringContaining('the plan is applying') }),
    ]);
  });

  it('waits for a second, different approver on a grant to another account when the team asks for two', async () => {
    const { plan } = await propose();
    const twoApprovers = endpoint({ secondApprover: true });
    await receiveApproval(click(plan.id, ALICE), twoApprovers);
    expect(jobs).toEqual([]);
    expect(replies().at(-1)!.text).toContain('a second approver is needed');
    clock = new Date(clock.getTime() + 1_000);
    await receiveApproval(click(plan.id, ALICE), twoApprovers);
    expect(jobs).toEqual([]);
    expect(replies().at(-1)!.text).toContain('a second, different approver');
    clock = new Date(clock.getTime() + 1_000);
    await receiveApproval(click(plan.id, BOB), twoApprovers);
    expect(jobs).toEqual([{ kind: 'apply', planId: plan.id }]);
    expect(await store.load(plan.id)).toMatchObject({ state: 'applying', approvers: [ALICE, BOB] });
  });

  it('refuses to roll back what was never applied', async () => {
    const { plan } = await propose();
    await receiveApproval(click(plan.id, ALICE, { action: ROLLBACK_ACTION_ID }), endpoint());
    expect(jobs).toEqual([]);
    expect(replies().at(-1)!.text).toContain('nothing applied to roll back');
  });

  it('keeps an approval and starts the change when the reply to Slack cannot be posted', async () => {
    const { plan } = await propose();
    await slack.stop();
    expect(await receiveApproval(click(plan.id, ALICE), endpoint())).toEqual({ statusCode: 200, body: '' });
    expect(jobs).toHaveLength(1);
    expect(logs.map((l) => l.message)).toContain('could not reply in Slack');
  });
});

describe('the remediator', () => {
  it('does nothing for a job whose approval the endpoint never recorded', async () => {
    const { plan } = await propose();
    await carryOut({ kind: 'apply', planId: plan.id }, remediator());
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
    expect(logs.map((l) => l.message)).toEqual(['refused a job the table does not support']);
    expect(await store.load(plan.id)).toMatchObject({ state: 'proposed' });
  });

  it('refuses a target the stack was not deployed to change, and records why', async () => {
    const { plan } = await propose();
    await receiveApproval(click(plan.id, ALICE), endpoint());
    await carryOut(jobs[0]!, remediator({ targets: { ...targets, targets: new Set() } }));
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
    expect(await store.load(plan.id)).toMatchObject({ state: 'refused' });
    expect(await auditEvents()).toEqual(['refused']);
    expect(replies().at(-1)!.text).toContain('not one of the remediation targets');
  });

  it('reads back after a failed write and, when nothing was written, says so and records it refused', async () => {
    const { plan } = await propose();
    await receiveApproval(click(plan.id, ALICE), endpoint());
    s3.on(PutBucketPolicyCommand).rejects(awsError('ServiceUnavailable'));
    await carryOut(jobs[0]!, remediator());
    expect(await store.load(plan.id)).toMatchObject({ state: 'refused' });
    expect(replies().at(-1)!.text).toContain('AWS answered ServiceUnavailable): nothing was written');
    expect(await auditEvents()).toEqual(['approved', 'refused']);
  });

  it('marks the plan failed, says so in the thread and rethrows when AWS fails before anything is written', async () => {
    const { plan } = await propose();
    await receiveApproval(click(plan.id, ALICE), endpoint());
    analyzer.on(ValidatePolicyCommand).rejects(awsError('ServiceUnavailable'));
    await expect(carryOut(jobs[0]!, remediator())).rejects.toThrow();
    expect(await store.load(plan.id)).toMatchObject({ state: 'failed' });
    expect(replies().at(-1)!.text).toContain('failed before anything was written');
    expect(logs.map((l) => l.message)).toContain('remediation failed part-way');
  });
});

/** What someone who can write a table item (the diagnoser's or the endpoint's role) could put there. */
async function forge(planId: string, fields: Record<string, AttributeValue>) {
  await dynamo.client.send(
    new UpdateItemCommand({
      TableName: 'approvals',
      Key: { id: { S: `plan:${planId}` } },
      UpdateExpression: `SET ${Object.keys(fields)
        .map((_k, i) => `#f${i} = :v${i}`)
        .join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(Object.keys(fields).map((k, i) => [`#f${i}`, k])),
      ExpressionAttributeValues: Object.fromEntries(Object.values(fields).map((v, i) => [`:v${i}`, v])),
    }),
  );
}

const PUBLIC_EVERYTHING = JSON.stringify(policy({ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }));

describe('the approval path under attack (#23)', () => {
  it('will not roll back from a plan item whose rollback was rewritten: its content no longer gives its id', async () => {
    const { plan } = await propose();
    await receiveApproval(click(plan.id, ALICE), endpoint());
    await carryOut(jobs[0]!, remediator());
    const forgedPlan = {
      ...plan,
      steps: [{ ...plan.steps[0]!, rollback: { action: 'PutBucketPolicy', parameters: { Bucket: BUCKET, Policy: PUBLIC_EVERYTHING } } }],
    };
    await forge(plan.id, { plan: { S: JSON.stringify(forgedPlan) } });
    clock = new Date(clock.getTime() + 60_000);
    await receiveApproval(click(plan.id, BOB, { action: ROLLBACK_ACTION_ID }), endpoint());
    await carryOut(jobs[1]!, remediator());
    expect(live.document).not.toBe(PUBLIC_EVERYTHING);
    expect(live.document).toBe(plan.steps[0]!.parameters.Policy);
    expect(replies().at(-1)!.text).toContain('its content gives another id');
  });

  it('refuses to roll back a forged "applied" item it never applied, and writes nothing', async () => {
    const { plan } = await propose();
    await forge(plan.id, { state: { S: 'applied' }, approvers: { L: [{ S: ALICE }] } });
    await receiveApproval(click(plan.id, BOB, { action: ROLLBACK_ACTION_ID }), endpoint());
    await carryOut(jobs[0]!, remediator());
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
    expect(replies().at(-1)!.text).toContain('no record of applying the plan');
  });

  it('refuses a plan swapped behind a real button: its content no longer gives the id the button carried', async () => {
    const { plan } = await propose();
    const swapped = { ...plan, steps: [{ ...plan.steps[0]!, parameters: { ...plan.steps[0]!.parameters, Policy: PUBLIC_EVERYTHING } }] };
    await forge(plan.id, { plan: { S: JSON.stringify(swapped) } });
    await receiveApproval(click(plan.id, ALICE), endpoint());
    await carryOut(jobs[0]!, remediator());
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
    expect(await store.load(plan.id)).toMatchObject({ state: 'refused' });
    expect(replies().at(-1)!.text).toContain('its content gives another id');
  });

  it('refuses a two-approver change completed over a forged first approval by an unlisted user', async () => {
    const { plan } = await propose();
    await forge(plan.id, { state: { S: 'awaiting-second' }, approvers: { L: [{ S: MALLORY }] } });
    await receiveApproval(click(plan.id, BOB), endpoint({ secondApprover: true }));
    await carryOut(jobs[0]!, remediator({ secondApprover: true }));
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
    expect(replies().at(-1)!.text).toContain(`${MALLORY} is not on the approver list`);
  });

  it('refuses a job whose recorded approver list is empty', async () => {
    const { plan } = await propose();
    await forge(plan.id, { state: { S: 'applying' }, approvers: { L: [] }, responseUrl: { S: `${slackOrigin}/x` } });
    await carryOut({ kind: 'apply', planId: plan.id }, remediator());
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
    expect(await store.load(plan.id)).toMatchObject({ state: 'refused' });
  });

  it('never overwrites an audit entry', async () => {
    const entry = { planId: 'p', event: 'applied' as const, at: '2026-12-02T10:00:00.000Z', approver: 'slack:U0ALICE01', detail: 'x' };
    await store.audit(entry);
    await expect(store.audit({ ...entry, detail: 'rewritten' })).rejects.toThrow(/exists already/);
  });

  it.each([
    ['another workspace', { team: 'T0OTHER99' }, /teamId is T0OTHER99/],
    ['a look-alike message that carries no button for this plan', { messagePlan: null }, /does not carry this plan/],
    ['a message carrying another plan’s button', { messagePlan: 'f'.repeat(32) }, /does not carry this plan/],
  ])('refuses a click from %s: nothing recorded', async (_name, options, reason) => {
    const { plan } = await propose();
    expect(await receiveApproval(click(plan.id, ALICE, options), endpoint())).toEqual({ statusCode: 403, body: '' });
    expect(jobs).toEqual([]);
    expect(await store.load(plan.id)).toMatchObject({ state: 'proposed' });
    expect(logs.at(-1)!.fields.reason).toMatch(reason);
  });

  it('refuses to apply a plan older than the age limit, at the first approval and at the second', async () => {
    const { plan } = await propose();
    clock = new Date(clock.getTime() + DAY * 1000 + 1_000);
    await receiveApproval(click(plan.id, ALICE), endpoint());
    expect(jobs).toEqual([]);
    expect(replies().at(-1)!.text).toContain('older than 24 h');
  });

  it('refuses a second approval 200 days after the first', async () => {
    const { plan } = await propose();
    await receiveApproval(click(plan.id, ALICE), endpoint({ secondApprover: true }));
    clock = new Date(clock.getTime() + 200 * DAY * 1000);
    await receiveApproval(click(plan.id, BOB), endpoint({ secondApprover: true }));
    expect(jobs).toEqual([]);
    expect(await store.load(plan.id)).toMatchObject({ state: 'awaiting-second' });
    expect(replies().at(-1)!.text).toContain('older than 24 h');
  });

  it('writes once when the same job is delivered twice at the same moment', async () => {
    const { plan } = await propose();
    await receiveApproval(click(plan.id, ALICE), endpoint());
    await Promise.all([carryOut(jobs[0]!, remediator()), carryOut(jobs[0]!, remediator())]);
    expect(s3).toHaveReceivedCommandTimes(PutBucketPolicyCommand, 1);
    expect(logs.map((l) => l.message)).toContain('ignored a second delivery of a job already taken');
  });

  it('refuses a replay whose signature header is written another way', async () => {
    const { plan } = await propose();
    const signed = click(plan.id, ALICE);
    await receiveApproval(signed, endpoint());
    const variant = { ...signed, headers: { ...signed.headers, 'x-slack-signature': `${signed.headers['x-slack-signature']}=1` } };
    const answer = await receiveApproval(variant, endpoint());
    expect(answer.statusCode).toBe(401);
    expect(jobs).toHaveLength(1);
  });

  it('after a failure past the write, says what is live and offers Roll back', async () => {
    const { plan } = await propose();
    await receiveApproval(click(plan.id, ALICE), endpoint());
    let readings = 0;
    const failingAfterWrite = remediator({
      freshSnapshot: async () => {
        readings += 1;
        if (readings > 1) throw awsError('ThrottlingException');
        return live.in(partner.account);
      },
    });
    await expect(carryOut(jobs[0]!, failingAfterWrite)).rejects.toThrow();
    expect(live.document).toBe(plan.steps[0]!.parameters.Policy);
    expect(await store.load(plan.id)).toMatchObject({ state: 'applied' });
    expect(replies().at(-1)!.text).toContain('is as the plan wrote it');
    expect(slack.received.at(-1)!.body).toContain(ROLLBACK_ACTION_ID);
  });
});
