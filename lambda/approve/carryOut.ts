/**
 * The remediator's work on one recorded approval: the same apply and rollback as the CLI, with the plan's
 * targets checked against what the stack allows, the audit trail in DynamoDB, and the outcome posted to
 * the alert's thread.
 *
 * The plan item can be written by the diagnoser and the endpoint too, so nothing in it is taken on trust:
 * the plan's content must give the id its button carried, every recorded approver must be on the list (two
 * different ones where the team asks for two), the plan must be younger than the age limit, and the reply
 * goes only to a Slack address. A job runs once: its first delivery takes it with a conditional write, a
 * second finds it taken. What is applied is kept under a key only this role writes — the documents read
 * live before writing and the ones written — and a rollback restores from that record alone, to the target
 * it names, after the target check and the guards. An error past the first write leaves the plan applied as
 * far as it got, says what is live, and offers Roll back.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { PlanStep, RemediationPlan } from '../model/remediationPlan';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import type { SlackReply } from '../notify/slackBlocks';
import { inertMrkdwn } from '../notify/slackText';
import { applyPlan } from '../remediate/applyPlan';
import { documentSha256 } from '../remediate/documentSha256';
import { needsSecondApprover } from '../remediate/needsSecondApprover';
import { planIdOf } from '../remediate/planFix';
import { readLiveDocument } from '../remediate/readLiveDocument';
import type { RemediationClients } from '../remediate/RemediationClients';
import { restoreCall } from '../remediate/restoreCall';
import { runGuards } from '../remediate/runGuards';
import { sendChange } from '../remediate/sendChange';
import { newDocumentOf } from '../remediate/stepDocuments';
import { type AppliedStep, type ApprovalStore, planAgeSeconds, type StoredPlan } from './ApprovalStore';
import type { RemediationJob } from './RemediationJob';
import { changesOf, rollbackButton } from '../notify/approvalBlocks';
import { appliedReply, checksContext, mentions, reply } from './replies';
import { type TargetSettings, targetRefusal } from './targetRefusal';

export interface RemediatorDependencies {
  store: ApprovalStore;
  clients: RemediationClients;
  freshSnapshot: (request: DeniedRequest) => Promise<AccountSnapshot>;
  targets: TargetSettings;
  sensitiveActions: string[];
  approverIds: ReadonlySet<string>;
  /** Key policy changes and grants to other accounts need two different approvers. */
  secondApprover: boolean;
  maxPlanAgeSeconds: number;
  responseUrlPrefixes: readonly string[];
  reply: (responseUrl: string, message: SlackReply) => Promise<void>;
  logger: Logger;
  now: () => Date;
}

const CLAIMED = { apply: 'applying', rollback: 'rolling-back' } as const;

function whoApproved(job: RemediationJob, stored: StoredPlan): string[] {
  if (job.kind === 'apply') return stored.approvers;
  return stored.rollbackBy ? [stored.rollbackBy] : [];
}

/** Why the job must not run, from what the remediator checks again itself; null when it may. */
function jobRefusal(job: RemediationJob, stored: StoredPlan, deps: RemediatorDependencies): string | null {
  if (stored.plan?.id !== job.planId || planIdOf(stored.plan) !== job.planId) {
    return 'the stored plan is not the one its button named: its content gives another id';
  }
  if (stored.state !== CLAIMED[job.kind]) return `the plan is ${stored.state}, not ${CLAIMED[job.kind]}`;
  const approvers = whoApproved(job, stored);
  if (approvers.length === 0) return 'no approver is recorded';
  const unlisted = approvers.filter((id) => !deps.approverIds.has(id));
  if (unlisted.length > 0) return `${unlisted.join(', ')} is not on the approver list`;
  if (new Set(approvers).size !== approvers.length) return 'one approver is recorded twice';
  if (job.kind === 'rollback') return null;
  if (deps.secondApprover && needsSecondApprover(stored.plan) && approvers.length < 2) return 'this plan needs two different approvers';
  if (planAgeSeconds(stored.plan, deps.now()) > deps.maxPlanAgeSeconds) {
    return `the plan is older than ${Math.round(deps.maxPlanAgeSeconds / 3600)} h: make a new one from a fresh diagnosis`;
  }
  return null;
}

/** What the remediator keeps of each step it is about to write: where, what it restores, what it writes. */
function appliedSteps(plan: RemediationPlan, before: unknown[]): AppliedStep[] {
  return plan.steps.map((step, i) => ({
    service: step.service,
    action: step.action,
    account: step.account,
    region: step.region,
    target: step.target,
    applied: newDocumentOf(step),
    restore: restoreCall(step, before[i] ?? null),
  }));
}

/** A kept step as the step that restores it: what the target check, the guards and the read-back take. */
function restoreStep(kept: AppliedStep): PlanStep {
  return {
    service: kept.service,
    action: kept.restore.action as PlanStep['action'],
    account: kept.account,
    region: kept.region,
    target: kept.target,
    parameters: kept.restore.parameters,
    precondition: { documentSha256: documentSha256(kept.applied) },
    rollback: restoreCall({ action: kept.action, parameters: kept.restore.parameters }, kept.applied),
  };
}

/** The live document of a kept step, read where the step wrote it. */
const liveOf = (deps: RemediatorDependencies, kept: AppliedStep) =>
  readLiveDocument(deps.clients, { ...restoreStep(kept), action: kept.action });

async function apply(plan: RemediationPlan, approvers: string[], threadTs: string | null, deps: RemediatorDependencies) {
  const approver = approvers.map((id) => `slack:${id}`).join(',');
  const refusal = plan.steps.map((step) => targetRefusal(step, deps.targets)).find((reason) => reason !== null);
  if (refusal) {
    await deps.store.audit({ planId: plan.id, event: 'refused', at: deps.now().toISOString(), approver, detail: refusal });
    await deps.store.settle(plan.id, 'applying', 'refused', refusal);
    return reply(threadTs, `Nothing was changed: ${inertMrkdwn(refusal)}.`);
  }
  const outcome = await applyPlan(plan, {
    clients: deps.clients,
    approver,
    sensitiveActions: deps.sensitiveActions,
    // The approval was given in Slack and recorded before this function was started.
    confirm: async () => true,
    audit: (entry) => deps.store.audit(entry),
    now: deps.now,
    freshSnapshot: deps.freshSnapshot,
    keepBackup: (before) => deps.store.keepApplied(plan.id, appliedSteps(plan, before)),
  });
  if (outcome.result === 'applied') {
    await deps.store.settle(plan.id, 'applying', 'applied', 'applied and verified');
    return appliedReply(threadTs, plan, approvers, outcome.checks, outcome.notVerified);
  }
  await deps.store.settle(plan.id, 'applying', outcome.result, outcome.reason);
  const words =
    outcome.result === 'refused'
      ? `Nothing was changed: ${inertMrkdwn(outcome.reason)}.`
      : `:warning: Applied, then rolled back: ${inertMrkdwn(outcome.reason)}.`;
  return reply(threadTs, words, checksContext(outcome.checks));
}

/** Puts back what the remediator itself kept, step by step, only where the live document is still its own. */
async function rollback(plan: RemediationPlan, approvers: string[], threadTs: string | null, deps: RemediatorDependencies) {
  const approver = approvers.map((id) => `slack:${id}`).join(',');
  const refuse = async (reason: string) => {
    await deps.store.audit({ planId: plan.id, event: 'refused', at: deps.now().toISOString(), approver, detail: reason });
    await deps.store.settle(plan.id, 'rolling-back', 'applied', reason);
    return reply(threadTs, `Nothing was rolled back: ${inertMrkdwn(reason)}.`);
  };
  const kept = await deps.store.appliedSteps(plan.id);
  if (!kept) return refuse('this service has no record of applying the plan');
  for (const step of kept) {
    const refusal = targetRefusal(step, deps.targets);
    if (refusal) return refuse(refusal);
    if (documentSha256(await liveOf(deps, step)) !== documentSha256(step.applied)) {
      return refuse(`${step.target} is no longer what the plan applied (changed since)`);
    }
    const restoring = restoreStep(step);
    if (newDocumentOf(restoring) === null) continue;
    const failed = (await runGuards(deps.clients.analyzer, restoring, deps.sensitiveActions)).filter((c) => c.result === 'fail');
    if (failed.length > 0) return refuse(`guards failed on the document it would restore: ${failed.map((c) => c.name).join(', ')}`);
  }
  for (const step of [...kept].reverse()) await sendChange(deps.clients, step.restore.action, step.restore.parameters);
  await deps.store.audit({
    planId: plan.id,
    event: 'rolled-back',
    at: deps.now().toISOString(),
    approver,
    detail: `${kept.length} step(s) restored from the remediator's own record`,
  });
  await deps.store.settle(plan.id, 'rolling-back', 'rolled-back-on-request', 'restored');
  return reply(
    threadTs,
    `:leftwards_arrow_with_hook: Rolled back at the request of ${mentions(approvers)}: ${inertMrkdwn(changesOf(plan))} undone.`,
  );
}

/**
 * After an error: what each kept step's target holds now. A plan that changed something stays applied, so
 * Roll back can undo it; one that changed nothing is failed.
 */
async function afterFailure(plan: RemediationPlan, error: Error, threadTs: string | null, deps: RemediatorDependencies) {
  const kept = await deps.store.appliedSteps(plan.id).catch(() => null);
  const states = kept
    ? await Promise.all(
        kept.map(async (step) => {
          const live = await liveOf(deps, step).catch(() => undefined);
          if (live === undefined) return { step, written: true, now: 'could not be read' };
          const written = documentSha256(live) === documentSha256(step.applied);
          return { step, written, now: written ? 'as the plan wrote it' : 'unchanged or changed by someone else' };
        }),
      )
    : [];
  // What could not be read may be written: Roll back, which checks the live document first, is then offered.
  const changed = states.some((s) => s.written);
  const live = states.map((s) => `${s.step.target} is ${s.now}`).join('; ');
  const detail = `${error.name} part-way${live ? `: ${live}` : ''}`;
  const claimed = CLAIMED.apply;
  if (changed) {
    await deps.store.settle(plan.id, claimed, 'applied', detail);
    return reply(threadTs, `:x: The change failed part-way (${inertMrkdwn(detail)}). Roll back restores what was there before.`, [
      { type: 'actions', elements: [rollbackButton(plan)] },
    ]);
  }
  await deps.store.settle(plan.id, claimed, 'failed', detail);
  return reply(threadTs, `:x: The change failed before anything was written (${inertMrkdwn(error.name)}); the plan is marked failed.`);
}

/** @example await carryOut({ kind: 'apply', planId }, deps) */
export async function carryOut(job: RemediationJob, deps: RemediatorDependencies): Promise<void> {
  const stored = await deps.store.load(job.planId);
  if (!stored) {
    deps.logger.error('refused a job for a plan that is not in the table', { planId: job.planId, kind: job.kind });
    return;
  }
  const approvers = whoApproved(job, stored);
  const log = { planId: job.planId, eventId: stored.plan?.eventId, kind: job.kind, approvers };
  const responseUrl = deps.responseUrlPrefixes.some((prefix) => stored.responseUrl?.startsWith(prefix)) ? stored.responseUrl : null;
  const post = async (message: SlackReply) => {
    if (!responseUrl) return deps.logger.warn('no Slack address to post the outcome to', { ...log, reply: message.text });
    await deps
      .reply(responseUrl, message)
      .catch((error: unknown) => deps.logger.warn('could not post the outcome in Slack', { ...log, error }));
  };
  const refusal = jobRefusal(job, stored, deps);
  if (refusal) {
    deps.logger.error('refused a job the table does not support', { ...log, state: stored.state, reason: refusal });
    if (stored.state === CLAIMED[job.kind] && (await deps.store.takeJob(job.planId, job.kind, deps.now()))) {
      await deps.store.settle(job.planId, CLAIMED[job.kind], job.kind === 'apply' ? 'refused' : 'applied', refusal);
      await post(reply(stored.messageTs, `Nothing was changed: ${inertMrkdwn(refusal)}.`));
    }
    return;
  }
  if (!(await deps.store.takeJob(job.planId, job.kind, deps.now()))) {
    deps.logger.warn('ignored a second delivery of a job already taken', log);
    return;
  }
  let message: SlackReply;
  try {
    message =
      job.kind === 'apply'
        ? await apply(stored.plan, approvers, stored.messageTs, deps)
        : await rollback(stored.plan, approvers, stored.messageTs, deps);
  } catch (error) {
    deps.logger.error('remediation failed part-way', { ...log, error });
    if (job.kind === 'apply') await post(await afterFailure(stored.plan, error as Error, stored.messageTs, deps));
    else {
      await deps.store.settle(job.planId, CLAIMED.rollback, 'failed', `${(error as Error).name} part-way`);
      await post(
        reply(
          stored.messageTs,
          `:x: The rollback failed part-way (${inertMrkdwn((error as Error).name)}); the plan is marked failed. Its audit trail names what was done.`,
        ),
      );
    }
    throw error;
  }
  deps.logger.info('remediation done', { ...log, reply: message.text });
  await post(message);
}
