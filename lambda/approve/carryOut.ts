/**
 * The remediator's work on one recorded approval: the same apply and rollback as the CLI, with the plan's
 * targets checked against what the stack allows, the audit trail in DynamoDB, and the outcome posted to
 * the alert's thread. An error marks the plan failed, says so in the thread, and is rethrown, so the
 * invocation lands in the remediator's dead-letter queue with its job.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import type { SlackReply } from '../notify/slackBlocks';
import { inertMrkdwn } from '../notify/slackText';
import { applyPlan } from '../remediate/applyPlan';
import type { RemediationClients } from '../remediate/RemediationClients';
import { rollbackPlan } from '../remediate/rollbackPlan';
import type { ApprovalStore, StoredPlan } from './ApprovalStore';
import type { RemediationJob } from './RemediationJob';
import { changesOf } from '../notify/approvalBlocks';
import { appliedReply, checksContext, mentions, reply } from './replies';
import { type TargetSettings, targetRefusal } from './targetRefusal';

export interface RemediatorDependencies {
  store: ApprovalStore;
  clients: RemediationClients;
  freshSnapshot: (request: DeniedRequest) => Promise<AccountSnapshot>;
  targets: TargetSettings;
  sensitiveActions: string[];
  reply: (responseUrl: string, message: SlackReply) => Promise<void>;
  logger: Logger;
  now: () => Date;
}

async function apply(job: RemediationJob, stored: StoredPlan, deps: RemediatorDependencies): Promise<SlackReply> {
  const { plan } = stored;
  const refusal = plan.steps.map((step) => targetRefusal(step, deps.targets)).find((reason) => reason !== null);
  if (refusal) {
    await deps.store.audit({
      planId: plan.id,
      event: 'refused',
      at: deps.now().toISOString(),
      approver: job.approvers.join(','),
      detail: refusal,
    });
    await deps.store.settle(plan.id, 'applying', 'refused', refusal);
    return reply(job.messageTs, `Nothing was changed: ${inertMrkdwn(refusal)}.`);
  }
  const outcome = await applyPlan(plan, {
    clients: deps.clients,
    approver: job.approvers.map((id) => `slack:${id}`).join(','),
    sensitiveActions: deps.sensitiveActions,
    // The approval was given in Slack and recorded before this function was started.
    confirm: async () => true,
    audit: (entry) => deps.store.audit(entry),
    now: deps.now,
    freshSnapshot: deps.freshSnapshot,
  });
  if (outcome.result === 'applied') {
    await deps.store.settle(plan.id, 'applying', 'applied', 'applied and verified');
    return appliedReply(job.messageTs, plan, job.approvers, outcome.checks);
  }
  await deps.store.settle(plan.id, 'applying', outcome.result, outcome.reason);
  const words =
    outcome.result === 'refused'
      ? `Nothing was changed: ${inertMrkdwn(outcome.reason)}.`
      : `:warning: Applied, then rolled back: ${inertMrkdwn(outcome.reason)}.`;
  return reply(job.messageTs, words, checksContext(outcome.checks));
}

async function rollback(job: RemediationJob, stored: StoredPlan, deps: RemediatorDependencies): Promise<SlackReply> {
  const { plan } = stored;
  const outcome = await rollbackPlan(plan, {
    clients: deps.clients,
    approver: job.approvers.map((id) => `slack:${id}`).join(','),
    audit: (entry) => deps.store.audit(entry),
    now: deps.now,
  });
  if (outcome.result === 'rolled-back') {
    await deps.store.settle(plan.id, 'rolling-back', 'rolled-back-on-request', 'restored');
    return reply(
      job.messageTs,
      `:leftwards_arrow_with_hook: Rolled back at the request of ${mentions(job.approvers)}: ${inertMrkdwn(changesOf(plan))} undone.`,
    );
  }
  await deps.store.settle(plan.id, 'rolling-back', 'applied', outcome.reason);
  return reply(job.messageTs, `Nothing was rolled back: ${inertMrkdwn(outcome.reason)}.`);
}

/** @example await carryOut({ kind: 'apply', planId, approvers: ['U0123ABCD'], responseUrl, messageTs }, deps) */
export async function carryOut(job: RemediationJob, deps: RemediatorDependencies): Promise<void> {
  const stored = await deps.store.load(job.planId);
  if (!stored) throw new Error(`plan ${job.planId} is not in the table`);
  const log = { planId: job.planId, eventId: stored.plan.eventId, kind: job.kind, approvers: job.approvers };
  // Only an approval the endpoint recorded starts a change: a job from anywhere else finds the plan in another state.
  const claimed = job.kind === 'apply' ? 'applying' : 'rolling-back';
  const approvedAsRecorded = job.kind === 'rollback' || job.approvers.every((id) => stored.approvers.includes(id));
  if (stored.state !== claimed || !approvedAsRecorded) {
    deps.logger.error('refused a job without a recorded approval', { ...log, state: stored.state });
    return;
  }
  let message: SlackReply;
  try {
    message = job.kind === 'apply' ? await apply(job, stored, deps) : await rollback(job, stored, deps);
  } catch (error) {
    deps.logger.error('remediation failed; the plan is marked failed', { ...log, error });
    await deps.store.settle(
      job.planId,
      job.kind === 'apply' ? 'applying' : 'rolling-back',
      'failed',
      `${(error as Error).name}: ${(error as Error).message}`,
    );
    await deps
      .reply(
        job.responseUrl,
        reply(
          job.messageTs,
          `:x: The change failed part-way (${inertMrkdwn((error as Error).name)}); the plan is marked failed. Its audit trail names what was done.`,
        ),
      )
      .catch(() => undefined);
    throw error;
  }
  deps.logger.info('remediation done', { ...log, reply: message.text });
  await deps
    .reply(job.responseUrl, message)
    .catch((error: unknown) => deps.logger.warn('could not post the outcome in Slack', { ...log, error }));
}
