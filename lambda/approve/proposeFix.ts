/**
 * The diagnoser's part in approval: a plan for the diagnosis's first fix, kept in the approval table so
 * the alert can carry an "Apply fix" button for it. Only a plan the remediator may carry out is offered:
 * applicable (proved on the snapshot, nothing else newly allowed) and aimed at a listed target.
 */
import type { DeniedRequest } from '../model/request';
import type { RemediationPlan } from '../model/remediationPlan';
import type { AccountSnapshot } from '../model/snapshot';
import { needsSecondApprover } from '../remediate/needsSecondApprover';
import { planFix } from '../remediate/planFix';
import type { ApprovalStore } from './ApprovalStore';
import { type TargetSettings, targetRefusal } from './targetRefusal';

export interface ProposalSettings {
  store: ApprovalStore;
  secondApprover: boolean;
  targets: TargetSettings;
}

export interface Proposal {
  plan: RemediationPlan;
  approversNeeded: 1 | 2;
}

/** @example await proposeFix(request, snapshot, settings, now) // null when there is nothing to offer */
export async function proposeFix(
  request: DeniedRequest,
  snapshot: AccountSnapshot,
  settings: ProposalSettings,
  now: Date,
): Promise<Proposal | null> {
  const plan = planFix(request, snapshot, { createdAt: now.toISOString() });
  if (!plan.applicable || plan.steps.some((step) => targetRefusal(step, settings.targets) !== null)) return null;
  await settings.store.propose(plan, now);
  return { plan, approversNeeded: settings.secondApprover && needsSecondApprover(plan) ? 2 : 1 };
}
