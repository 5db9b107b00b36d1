/**
 * `fix rollback`: the previous documents put back, but only where the live one is still exactly what the
 * plan applied — a later change by someone else is never overwritten.
 */
import type { RemediationPlan } from '../model/remediationPlan';
import type { ApplySettings } from './applyPlan';
import { documentSha256 } from './documentSha256';
import { readLiveDocument } from './readLiveDocument';
import { sendChange } from './sendChange';
import { newDocumentOf } from './stepDocuments';

export type RollbackOutcome = { result: 'rolled-back' } | { result: 'refused'; reason: string };

/** @example await rollbackPlan(plan, { clients, approver, audit, now }) */
export async function rollbackPlan(
  plan: RemediationPlan,
  settings: Pick<ApplySettings, 'clients' | 'approver' | 'audit' | 'now'>,
): Promise<RollbackOutcome> {
  const record = (event: 'rolled-back' | 'refused', detail: string) =>
    settings.audit({ planId: plan.id, event, at: settings.now().toISOString(), approver: settings.approver, detail });
  for (const step of plan.steps) {
    const live = await readLiveDocument(settings.clients, step);
    if (documentSha256(live) !== documentSha256(newDocumentOf(step))) {
      const reason = `${step.target} is no longer what the plan applied (changed since, or never applied): nothing was rolled back`;
      await record('refused', reason);
      return { result: 'refused', reason };
    }
  }
  for (const step of [...plan.steps].reverse()) await sendChange(settings.clients, step.rollback.action, step.rollback.parameters);
  await record('rolled-back', `${plan.steps.length} step(s) restored`);
  return { result: 'rolled-back' };
}
