/**
 * One denied request through the service: a cheap repeat check → is it another record of an upload
 * already alerted → (for a cross-account call) has its other copy claimed it → collect → diagnose → claim the
 * alert → deliver each pending channel. A channel that fails makes the record fail, so SQS retries it; the retry
 * resumes the same claim and sends only what was not delivered. Nothing is dropped silently.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SNSClient } from '@aws-sdk/client-sns';
import { type Proposal, type ProposalSettings, proposeFix } from '../approve/proposeFix';
import { diagnose } from '../engine/diagnose';
import type { Diagnosis } from '../model/diagnosis';
import { fingerprint } from '../model/fingerprint';
import { amazonQPublishInput } from '../notify/amazonQNotification';
import { postToSlack } from '../notify/postToSlack';
import { routeKeysOf } from '../notify/routeKeys';
import { publishToSns } from '../notify/publishToSns';
import { slackPayload } from '../notify/slackPayload';
import { snsPublishInput } from '../notify/snsMessage';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import type { AlertSuppressor, Claim } from '../suppress/AlertSuppressor';
import { requestKey } from '../suppress/requestKey';
import { uploadRecordOf } from '../events/uploadRecord';
import { SERVICE_METRICS } from './serviceMetrics';

export interface ServiceDependencies {
  collect: (request: DeniedRequest) => Promise<AccountSnapshot>;
  /** Starts reads `collect` will want while the request is looked up; never fails. */
  readAhead?: (request: DeniedRequest) => void;
  /** Writes started for later records (the shared organization), awaited before the invocation ends. */
  written?: () => Promise<void>;
  suppressor: AlertSuppressor;
  /** `amazonQ`: also publish the Amazon Q custom-notification format (its own channel, retried on its own). */
  sns: { client: SNSClient; topicArn: string; amazonQ?: boolean } | null;
  /** Resolves the webhook URL (cached by the caller); null when Slack is not configured. */
  slackWebhook: (() => Promise<string>) | null;
  /**
   * Where an account's or OU's alerts go instead (`alertRoutes`): given the denial's route keys, most
   * specific first, the channels its route names; a kind it does not name stays the default.
   */
  route?: (keys: string[]) => Partial<Pick<ServiceDependencies, 'sns' | 'slackWebhook'>> | null;
  /**
   * Both accounts' copies of a cross-account call reach this deployment (an organization's central one, which
   * its members forward to): they are coordinated so that one diagnoses and alerts. Elsewhere the other copy
   * never comes, and neither waits for it.
   */
  bothCopies?: boolean;
  /**
   * Whether an account is in the organization, so forwards its copies here: the bucket owner's copy of a call
   * from outside it is the only one that will ever come, and waits for nothing. Undefined when unknown.
   */
  isOrganizationMember?: (accountId: string) => Promise<boolean | undefined>;
  /** How a copy waits for the other copy of its call; a timer unless a test says otherwise. */
  wait?: (ms: number) => Promise<void>;
  /** Approval-gated remediation (`-c remediation=approve`): plans to offer with an "Apply fix" button. */
  approvals: ProposalSettings | null;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
}

/** The other copy of this cross-account call is still being diagnosed: SQS brings this one back later. */
export class UploadInFlightError extends Error {
  override name = 'UploadInFlightError';
}

/** How long a copy waits in the invocation for the other copy's alert, before leaving it to an SQS retry. */
const WAIT_ROUNDS = 10;
const WAIT_MS = 1_000;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly failedChannels: string[],
    options: { cause: unknown },
  ) {
    super(`delivery failed on ${failedChannels.join(', ')}`, options);
  }
}

/** Counts under the `service` dimension alone, as the dashboard graphs them. */
export function countServiceMetric(metrics: Metrics, name: string): void {
  metrics.addMetric(name, MetricUnit.Count, 1);
}

function countWith(metrics: Metrics, name: string, dimensions: Record<string, string>): void {
  const metric = metrics.singleMetric();
  for (const [key, value] of Object.entries(dimensions)) metric.addDimension(key, value);
  metric.addMetric(name, MetricUnit.Count, 1);
}

function channelsOf(deps: ServiceDependencies): string[] {
  return [...(deps.sns ? ['sns'] : []), ...(deps.sns?.amazonQ ? ['amazon-q'] : []), ...(deps.slackWebhook ? ['slack'] : [])];
}

function send(channel: string, diagnosis: Diagnosis, claim: Claim, proposal: Proposal | null, deps: ServiceDependencies): Promise<unknown> {
  if (channel === 'sns' && deps.sns) {
    const input = snsPublishInput(diagnosis, deps.sns.topicArn, claim.repeats);
    return publishToSns(deps.sns.client, { ...input, TopicArn: deps.sns.topicArn });
  }
  if (channel === 'amazon-q' && deps.sns?.amazonQ) {
    return publishToSns(deps.sns.client, amazonQPublishInput(diagnosis, deps.sns.topicArn, claim.repeats));
  }
  if (channel === 'slack' && deps.slackWebhook) {
    return deps.slackWebhook().then((url) => postToSlack(url, slackPayload(diagnosis, claim.repeats, proposal)));
  }
  return Promise.reject(new Error(`channel ${channel} is not configured`));
}

async function deliver(diagnosis: Diagnosis, claim: Claim, proposal: Proposal | null, deps: ServiceDependencies): Promise<void> {
  const channels = [...claim.pending];
  const results = await Promise.allSettled(channels.map((channel) => send(channel, diagnosis, claim, proposal, deps)));
  // One write for every channel that went out; a retry sends only the others.
  await deps.suppressor.delivered(
    claim,
    channels.filter((_, i) => results[i]?.status === 'fulfilled'),
  );
  const failed = channels.filter((_, i) => results[i]?.status === 'rejected');
  if (failed.length === 0) return;
  countServiceMetric(deps.metrics, SERVICE_METRICS.publishFailures);
  const first = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  throw new DeliveryError(failed, { cause: first?.reason });
}

/**
 * Kept before the alert goes out: its button names the plan. A repeat of the diagnosis keeps the plan's state.
 * The button is an extra: when the plan cannot be kept (approvals table throttled or denied), the alert goes
 * out without it rather than wait for a retry that could end in the dead-letter queue.
 */
async function offerFix(request: DeniedRequest, snapshot: AccountSnapshot, deps: ServiceDependencies): Promise<Proposal | null> {
  if (!deps.approvals || !deps.slackWebhook) return null;
  try {
    return await proposeFix(request, snapshot, deps.approvals, deps.now());
  } catch (error) {
    countServiceMetric(deps.metrics, SERVICE_METRICS.proposalFailures);
    deps.logger.error('fix not offered for approval; alerting without the Apply button', { eventId: request.event.id, error });
    return null;
  }
}

/**
 * @param yieldFirst the copy that names only the caller's account lets the caller's own copy, which names the
 * principal and so diagnoses further, claim the call first if it is there
 * @returns whether the other copy of the call settled it (then this one is joined to it)
 */
async function otherCopySettled(key: string, claimant: string, deps: ServiceDependencies, yieldFirst: boolean): Promise<boolean> {
  if (yieldFirst) await (deps.wait ?? pause)(WAIT_MS);
  for (let round = 0; ; round += 1) {
    const turn = await deps.suppressor.claimUpload(key, claimant, deps.now());
    if (turn !== 'busy') return turn === 'settled';
    if (round === WAIT_ROUNDS) throw new UploadInFlightError('the other copy of this cross-account call is still being diagnosed');
    await (deps.wait ?? pause)(WAIT_MS);
  }
}

/**
 * The caller's copy of a call is forwarded by the caller's own account: when the bucket owner's copy (which
 * names only that account) finds it outside the organization, no other copy is coming.
 */
async function otherCopyComes(request: DeniedRequest, deps: ServiceDependencies): Promise<boolean> {
  if (request.caller.arn !== null || !deps.isOrganizationMember) return true;
  return (await deps.isOrganizationMember(request.caller.accountId)) !== false;
}

/** @param claimant the SQS message (and request index): stable across retries of the same record */
export async function processRequest(request: DeniedRequest, claimant: string, deps: ServiceDependencies): Promise<Diagnosis | null> {
  const key = requestKey(request);
  const upload = uploadRecordOf(request);
  // A cold container reads the webhook while it looks the request up, not after the diagnosis; a failed
  // read is forgotten and tried again when the alert is sent.
  deps.slackWebhook?.().catch(() => undefined);
  if (!deps.suppressor.knownAlerted(key, deps.now())) deps.readAhead?.(request);
  const { repeat, alertedBy } = await deps.suppressor.lookUp(key, upload, deps.now());
  if (repeat) {
    countServiceMetric(deps.metrics, SERVICE_METRICS.suppressed);
    deps.logger.info('repeat of an alerted request', { eventId: request.event.id });
    return null;
  }
  if (alertedBy) {
    countServiceMetric(deps.metrics, SERVICE_METRICS.suppressed);
    deps.logger.info('another record of an alerted upload', { eventId: request.event.id, alertedEventId: alertedBy });
    return null;
  }
  // Both accounts' copies of a cross-account call arrive together and would each alert (their diagnoses name
  // the caller differently): one diagnoses it, the other waits for it.
  const shared =
    deps.bothCopies && (await otherCopyComes(request, deps)) ? (upload.keys.find((k) => k.startsWith('shared:')) ?? null) : null;
  if (shared && (await otherCopySettled(shared, claimant, deps, request.caller.arn === null))) {
    countServiceMetric(deps.metrics, SERVICE_METRICS.suppressed);
    deps.logger.info('the other copy of this cross-account call was alerted', { eventId: request.event.id });
    return null;
  }
  const snapshot = await deps.collect(request);
  const diagnosis = diagnose(request, snapshot);
  const first = diagnosis.decidingLayers[0];
  deps.logger.info('diagnosed', {
    eventId: request.event.id,
    principal: diagnosis.request.principalArn,
    bucket: request.bucket,
    verdict: diagnosis.verdict,
    layer: first?.layer,
    confidence: diagnosis.confidence,
  });
  countServiceMetric(deps.metrics, SERVICE_METRICS.diagnoses);
  countWith(deps.metrics, 'DiagnosesByLayer', { verdict: diagnosis.verdict, layer: first?.layer ?? 'none' });
  for (const unseen of diagnosis.notVisible) countWith(deps.metrics, 'UnseenLayers', { layer: unseen.layer });
  // The same accounts and OUs give the same route, so a retry delivers where the first attempt did.
  const routed = { ...deps, ...(deps.route?.(routeKeysOf(request, snapshot)) ?? {}) };
  const decision = await deps.suppressor.claim(fingerprint(diagnosis), { claimant, channels: channelsOf(routed), now: deps.now() });
  if (!decision.publish) {
    countServiceMetric(deps.metrics, SERVICE_METRICS.suppressed);
    if (shared) await deps.suppressor.settleUpload(shared, claimant);
    return diagnosis;
  }
  const proposal = await offerFix(request, snapshot, routed);
  await deliver(diagnosis, decision.claim, proposal, routed);
  await deps.suppressor.remember(key, upload, decision.claim);
  if (shared) await deps.suppressor.settleUpload(shared, claimant);
  return diagnosis;
}
