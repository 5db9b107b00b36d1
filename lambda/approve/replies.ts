/**
 * What the approval flow says in the alert's thread. Slack user ids are checked (`U…`/`W…`) before they
 * become mentions; everything from the plan (targets, reasons) is made inert.
 */
import type { PlanCheck, RemediationPlan } from '../model/remediationPlan';
import { changesOf, rollbackButton } from '../notify/approvalBlocks';
import { mrkdwn, plain, SLACK_LIMITS, type SlackBlock, type SlackReply } from '../notify/slackBlocks';
import { inertMrkdwn, truncate } from '../notify/slackText';

export const mentions = (userIds: string[]): string => userIds.map((id) => `<@${id}>`).join(' and ');

/** @example reply(approval.messageTs, `<@U1> approved`) // a message in the alert's thread */
export function reply(threadTs: string | null, words: string, more: SlackBlock[] = []): SlackReply {
  const text = truncate(words, SLACK_LIMITS.sectionText);
  return {
    response_type: 'in_channel',
    replace_original: false,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    text,
    blocks: [{ type: 'section', text: mrkdwn(text) }, ...more],
  };
}

/** Only the clicker sees it: a refusal that changes nothing needs no audience. */
export function privateReply(words: string): SlackReply {
  return { response_type: 'ephemeral', replace_original: false, text: words, blocks: [{ type: 'section', text: mrkdwn(words) }] };
}

export function checksContext(checks: PlanCheck[]): SlackBlock[] {
  if (checks.length === 0) return [];
  const line = checks.map((c) => `${c.name}: ${c.result}${c.detail ? ` (${c.detail})` : ''}`).join(' · ');
  return [{ type: 'context', elements: [plain(line, SLACK_LIMITS.field)] }];
}

export function appliedReply(
  threadTs: string | null,
  plan: RemediationPlan,
  approvers: string[],
  checks: PlanCheck[],
  notVerified?: string,
): SlackReply {
  const after = notVerified
    ? `but the diagnosis after the change is no proof: ${inertMrkdwn(notVerified)}.`
    : 'and the upload, diagnosed again on the account as it is now, is allowed.';
  return reply(
    threadTs,
    `:white_check_mark: Applied with the approval of ${mentions(approvers)}: ${inertMrkdwn(changesOf(plan))}. ` +
      `The live document reads back exactly as planned, ${after}`,
    [...checksContext(checks), { type: 'actions', elements: [rollbackButton(plan)] }],
  );
}
