/**
 * The plans a second person must approve when a team asks for two: a key policy change (it decides who may
 * decrypt everything under the key) and a grant to a principal of another account.
 */
import { accountOfArn } from '../model/accountOfArn';
import type { PlanStep, RemediationPlan } from '../model/remediationPlan';
import { listOf } from '../policy/listOf';
import type { Statement } from '../policy/types';
import { changedStatementsOf } from './documentDiff';

function grantsAnotherAccount(step: PlanStep): boolean {
  return changedStatementsOf(step).some((added) => {
    const principal = (added as Statement).Principal;
    const named = typeof principal === 'object' && principal !== null ? listOf(principal.AWS) : [];
    return named.some((entry) => (/^\d{12}$/.test(entry) ? entry : accountOfArn(entry)) !== step.account);
  });
}

/** @example needsSecondApprover(plan) // true for a PutKeyPolicy step */
export function needsSecondApprover(plan: RemediationPlan): boolean {
  return plan.steps.some((step) => step.action === 'PutKeyPolicy' || grantsAnotherAccount(step));
}
