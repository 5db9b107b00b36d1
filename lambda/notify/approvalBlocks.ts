/**
 * The buttons of approval-gated remediation, and what a person sees before pressing them: the exact call,
 * its target, the statements it adds, removes or edits, and what was proved. The approval endpoint reads the same action ids.
 * https://api.slack.com/reference/block-kit/composition-objects#confirm
 */
import type { RemediationPlan } from '../model/remediationPlan';
import { diffText, stepDiff } from '../remediate/documentDiff';
import { codeBlock, mrkdwn, plain, SLACK_LIMITS, type SlackBlock, type SlackButton } from './slackBlocks';

export const APPLY_ACTION_ID = 'why-denied-apply-fix';
export const ROLLBACK_ACTION_ID = 'why-denied-roll-back';

function confirmed(title: string, question: string, yes: string) {
  return {
    title: plain(title, SLACK_LIMITS.confirmTitle),
    text: plain(question, SLACK_LIMITS.confirmText),
    confirm: plain(yes, 30),
    deny: plain('Cancel', 30),
  };
}

/** The calls a plan makes, in order, as people read them in the alert and in its thread. */
export function changesOf(plan: RemediationPlan): string {
  return plan.steps.map((step) => `${step.action} on ${step.target}`).join(', then ');
}

/** @example slackPayload(diagnosis, null, { plan, approversNeeded: 1 }) // the alert with its Apply button */
export function approvalBlocks(plan: RemediationPlan, approversNeeded: 1 | 2): SlackBlock[] {
  const diff = plan.steps.map((step) => diffText(stepDiff(step))).join('\n');
  const apply: SlackButton = {
    type: 'button',
    text: plain(approversNeeded === 2 ? 'Approve fix (1 of 2)' : 'Apply fix', SLACK_LIMITS.buttonText),
    action_id: APPLY_ACTION_ID,
    value: plan.id,
    style: 'primary',
    confirm: confirmed('Apply this change?', `${changesOf(plan)}. The live document is checked again first.`, 'Apply'),
  };
  return [
    { type: 'divider' },
    { type: 'section', fields: [mrkdwn('*Change ready to apply*'), plain(changesOf(plan), SLACK_LIMITS.field)] },
    codeBlock('*The change* (+ added, - removed)', diff),
    {
      type: 'context',
      elements: [
        plain(
          `Proved on the account as diagnosed: the upload is then allowed, and no neighbouring request is newly allowed. ` +
            `Before writing, the live document must still hash to ${plan.steps[0]?.precondition.documentSha256?.slice(0, 12) ?? '(none)'}, ` +
            `the upload is diagnosed again, and IAM Access Analyzer checks the change. ` +
            (approversNeeded === 2 ? 'Two different approvers are needed.' : 'One approver is needed.'),
          SLACK_LIMITS.field,
        ),
      ],
    },
    { type: 'actions', elements: [apply] },
  ];
}

export function rollbackButton(plan: RemediationPlan): SlackButton {
  return {
    type: 'button',
    text: plain('Roll back', SLACK_LIMITS.buttonText),
    action_id: ROLLBACK_ACTION_ID,
    value: plan.id,
    style: 'danger',
    confirm: confirmed('Roll back this change?', `Restores what ${changesOf(plan)} replaced, if nobody changed it since.`, 'Roll back'),
  };
}
