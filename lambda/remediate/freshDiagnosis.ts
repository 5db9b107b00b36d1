/**
 * A plan checked against the account as it is now, just before and just after it is applied. Before:
 * planning again from a fresh snapshot must give the very same steps; otherwise the change is no longer
 * needed (the request is allowed now), no longer enough, or no longer the one the engine proposes, which
 * also catches a plan file edited after it was made. After: the request must be allowed.
 */
import { diagnose } from '../engine/diagnose';
import { jsonSha256 } from '../model/jsonSha256';
import type { RemediationPlan } from '../model/remediationPlan';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import { planFix, planIdOf } from './planFix';
import { canonicalStep } from './stepDocuments';

/** @example whyNotStillPlanned(plan, request, fresh) // null, or why the plan must not be applied now */
export function whyNotStillPlanned(plan: RemediationPlan, request: DeniedRequest, fresh: AccountSnapshot): string | null {
  if (planIdOf(plan) !== plan.id) return 'the plan was edited after it was made: its content gives another id';
  const again = planFix(request, fresh, { createdAt: plan.createdAt, ...(plan.fixIndex === undefined ? {} : { fixIndex: plan.fixIndex }) });
  if (again.verdictBefore === 'not-reproduced') return 'the change is no longer needed: the account as it is now allows the request';
  if (!again.applicable) return `the change is no longer enough or no longer safe: ${again.reason ?? 'the fresh plan is not applicable'}`;
  if (jsonSha256(again.steps.map(canonicalStep)) !== jsonSha256(plan.steps.map(canonicalStep))) {
    return 'the account as it is now calls for a different change than this plan (or the plan was edited): make a new plan';
  }
  return null;
}

/** @example stillDeniedAfter(request, fresh) // null once the applied change lets the request through */
export function stillDeniedAfter(request: DeniedRequest, fresh: AccountSnapshot): string | null {
  const after = diagnose(request, fresh);
  return after.verdict === 'not-reproduced'
    ? null
    : `the request is still denied with the change in place (${after.verdict}: ${after.summary})`;
}

/**
 * The layers the diagnosis after the change could not see: "allowed" then means only that nothing visible
 * denies it (a cross-account plan read with one side hidden), which is not proof the change worked.
 */
export function notSeenAfter(request: DeniedRequest, fresh: AccountSnapshot): string | null {
  const hidden = diagnose(request, fresh).notVisible.filter((n) => n.layer !== 'unknown');
  return hidden.length > 0 ? `${hidden.map((n) => n.layer).join(', ')} could not be read` : null;
}
