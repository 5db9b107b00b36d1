/** A plan's steps for a terminal: each call, what it replaces, and the diff of the document it writes. */
import type { RemediationPlan } from '../lambda/model/remediationPlan';
import { jsonForTerminal, safeForTerminal } from '../lambda/notify/safeForTerminal';
import { diffText, stepDiff } from '../lambda/remediate/documentDiff';

export function planChanges(plan: RemediationPlan): string[] {
  return plan.steps.flatMap((step) => [
    `step: ${step.service}:${step.action} on ${safeForTerminal(step.target)} in account ${step.account} (replaces sha256 ${step.precondition.documentSha256 ?? 'none: no document yet'})`,
    ...diffText(stepDiff(step), jsonForTerminal)
      .split('\n')
      .map((line) => `  ${line}`),
    `  rollback: ${step.rollback.action}`,
  ]);
}
