/**
 * The remediator writes only where the team said it may at deploy time: listed buckets, roles, users and
 * keys of its own account, key policies only with an explicit opt-in, never an organization policy. Its
 * role is scoped the same way; this check says why before AWS would refuse.
 */
import type { PlanStep } from '../model/remediationPlan';

export interface TargetSettings {
  accountId: string;
  /** ARNs of the buckets, roles, users and keys a plan may change. */
  targets: ReadonlySet<string>;
  allowKeyPolicies: boolean;
}

/** @example targetRefusal(step, settings) // null when the remediator may make this change */
export function targetRefusal(step: Pick<PlanStep, 'service' | 'action' | 'account' | 'target'>, settings: TargetSettings): string | null {
  if (step.service === 'organizations') return 'organization policies are never changed by this service';
  if (step.action === 'PutKeyPolicy' && !settings.allowKeyPolicies) return 'key policies are not enabled for remediation here';
  if (step.account !== settings.accountId) return `${step.target} is in account ${step.account}, not this one`;
  if (!settings.targets.has(step.target)) return `${step.target} is not one of the remediation targets this stack was deployed with`;
  return null;
}
