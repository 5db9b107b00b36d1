/**
 * The approval endpoint's work, within Slack's three seconds: check the request is Slack's, new and from a
 * listed approver; record the approval with a conditional write (so a double click, a second endpoint
 * instance or a replay cannot start the change twice); hand the change to the remediator. Every refusal
 * changes nothing and is logged with the plan and the user.
 * https://api.slack.com/interactivity/handling#acknowledgment_response
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SlackReply } from '../notify/slackBlocks';
import { inertMrkdwn } from '../notify/slackText';
import { needsSecondApprover } from '../remediate/needsSecondApprover';
import type { ApprovalStore } from './ApprovalStore';
import type { RemediationJob } from './RemediationJob';
import { changesOf } from '../notify/approvalBlocks';
import { mentions, privateReply, reply } from './replies';
import { type Approval, approvalOf, RefusedInteractionError, type SignedRequest } from './slackInteraction';

export interface ApprovalDependencies {
  signingSecret: () => Promise<string>;
  store: ApprovalStore;
  approverIds: ReadonlySet<string>;
  /** Key policy changes and grants to other accounts wait for a second, different approver. */
  secondApprover: boolean;
  responseUrlPrefixes: readonly string[];
  startRemediation: (job: RemediationJob) => Promise<void>;
  /** A plan older than this is never applied. */
  maxPlanAgeSeconds: number;
  /** The workspace (and enterprise), app and channel the alerts go to; each one set is required of a click. */
  slackOrigin: Partial<Approval['origin']>;
  reply: (responseUrl: string, message: SlackReply) => Promise<void>;
  logger: Logger;
  now: () => Date;
}

export interface EndpointAnswer {
  statusCode: number;
  body: string;
}

const OK: EndpointAnswer = { statusCode: 200, body: '' };

/** @example await receiveApproval({ headers, rawBody }, deps) // { statusCode: 200, body: '' } */
export async function receiveApproval(request: SignedRequest, deps: ApprovalDependencies): Promise<EndpointAnswer> {
  const now = deps.now();
  let approval;
  try {
    approval = approvalOf(request, {
      signingSecret: await deps.signingSecret(),
      nowMs: now.getTime(),
      responseUrlPrefixes: deps.responseUrlPrefixes,
    });
  } catch (error) {
    if (!(error instanceof RefusedInteractionError)) throw error;
    deps.logger.warn('refused an approval request', { reason: error.message });
    return { statusCode: error.status, body: '' };
  }
  const log = { planId: approval.planId, slackUser: approval.userId, kind: approval.kind };
  const elsewhere = originMismatch(approval, deps.slackOrigin);
  if (elsewhere) {
    deps.logger.warn('refused a click from another workspace, app or channel, or on another message', { ...log, reason: elsewhere });
    return { statusCode: 403, body: '' };
  }
  if (!(await deps.store.firstUse(request.headers['x-slack-request-timestamp'] ?? '', request.rawBody, now))) {
    deps.logger.warn('refused a replayed approval request', log);
    return { statusCode: 401, body: '' };
  }
  // A reply that cannot be posted is logged, never allowed to undo a recorded approval.
  const answer = (message: SlackReply) =>
    deps.reply(approval.responseUrl, message).catch((error: unknown) => deps.logger.warn('could not reply in Slack', { ...log, error }));
  if (!deps.approverIds.has(approval.userId)) {
    deps.logger.warn('refused an approval from a user not on the approver list', log);
    await answer(privateReply("You are not on why-denied's approver list: nothing was changed."));
    return OK;
  }
  const stored = await deps.store.load(approval.planId);
  if (!stored) {
    deps.logger.warn('refused an approval for an unknown plan', log);
    await answer(privateReply('This plan is no longer known (plans expire after seven days unapproved): nothing was changed.'));
    return OK;
  }
  const second = approval.kind === 'apply' && deps.secondApprover && needsSecondApprover(stored.plan);
  const claim = await deps.store.claim(approval.planId, approval.kind, approval.userId, second, {
    responseUrl: approval.responseUrl,
    messageTs: approval.messageTs,
    now,
    maxAgeSeconds: deps.maxPlanAgeSeconds,
  });
  if (!claim.go) {
    deps.logger.info(claim.waitingForSecond ? 'approval recorded, waiting for a second approver' : 'approval refused', {
      ...log,
      reason: claim.reason,
    });
    await answer(
      claim.waitingForSecond
        ? reply(approval.messageTs, `${mentions([approval.userId])}: ${inertMrkdwn(claim.reason)}. Nothing was changed yet.`)
        : privateReply(`Nothing was changed: ${inertMrkdwn(claim.reason)}.`),
    );
    return OK;
  }
  const job: RemediationJob = { kind: approval.kind, planId: approval.planId };
  try {
    await deps.startRemediation(job);
  } catch (error) {
    deps.logger.error('could not start the remediator; the plan is marked failed', { ...log, eventId: stored.plan.eventId, error });
    await deps.store.settle(
      approval.planId,
      approval.kind === 'apply' ? 'applying' : 'rolling-back',
      'failed',
      `remediator not started: ${(error as Error).name}`,
    );
    await answer(reply(approval.messageTs, 'Nothing was changed: the remediator could not be started. The plan is marked failed.'));
    return OK;
  }
  deps.logger.info('approval recorded, remediator started', { ...log, approvers: claim.approvers, eventId: stored.plan.eventId });
  const doing = approval.kind === 'apply' ? `applying ${changesOf(stored.plan)}` : `rolling back ${changesOf(stored.plan)}`;
  await answer(reply(approval.messageTs, `${mentions(claim.approvers)} approved: ${inertMrkdwn(doing)}…`));
  return OK;
}

/**
 * Slack user ids are unique only within a workspace, and anyone with the incoming-webhook URL can post a
 * look-alike button: a click counts only from the configured workspace, app and channel, on a message that
 * carries this plan's button.
 * https://api.slack.com/reference/interaction-payloads/block-actions
 */
function originMismatch(approval: Approval, expected: Partial<Approval['origin']>): string | null {
  for (const [field, value] of Object.entries(expected) as [keyof Approval['origin'], string | null | undefined][]) {
    if (value && approval.origin[field] !== value) return `${field} is ${approval.origin[field] ?? 'missing'}, not ${value}`;
  }
  return approval.messageCarriesPlan ? null : 'the clicked message does not carry this plan';
}
