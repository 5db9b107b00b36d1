/**
 * `fix apply`: an approved plan carried out at most once, exactly as approved. Each step's document is
 * re-read and must still hash to the plan's precondition (someone may have changed it since; a plan
 * already applied no longer matches either); the request is diagnosed again on the account as it is now
 * and must still call for exactly this change; the guards run; a person confirms; the audit record is
 * written before anything changes; each step is written, re-read and compared with the plan; and the
 * request, diagnosed once more, must now be allowed. A step that does not read back as planned, or a
 * change that does not let the request through, undoes what was applied and says so.
 */
import type { PlanCheck, RemediationPlan } from '../model/remediationPlan';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import { documentSha256 } from './documentSha256';
import { notSeenAfter, stillDeniedAfter, whyNotStillPlanned } from './freshDiagnosis';
import { readLiveDocument } from './readLiveDocument';
import type { RemediationClients } from './RemediationClients';
import { runGuards } from './runGuards';
import { sendChange } from './sendChange';
import { newDocumentOf } from './stepDocuments';

export type ApplyOutcome =
  /** `notVerified`: the diagnosis after could not see every layer (another account's, say), so it is not proof. */
  | { result: 'applied'; checks: PlanCheck[]; notVerified?: string }
  | { result: 'refused'; reason: string; checks: PlanCheck[] }
  | { result: 'rolled-back'; reason: string; checks: PlanCheck[] };

export interface AuditEntry {
  planId: string;
  event: 'approved' | 'applied' | 'rolled-back' | 'refused';
  at: string;
  approver: string;
  detail: string;
  /** The documents as they were before: the backup a person can restore by hand. */
  before?: unknown[];
}

export interface ApplySettings {
  clients: RemediationClients;
  approver: string;
  sensitiveActions: string[];
  confirm: (plan: RemediationPlan, checks: PlanCheck[]) => Promise<boolean>;
  audit: (entry: AuditEntry) => Promise<void>;
  now: () => Date;
  /** The account read now, bypassing any cache: what the diagnoses before and after the change see. */
  freshSnapshot: (request: DeniedRequest) => Promise<AccountSnapshot>;
  /** Keeps the documents as they were, read live, before the first write: what a later rollback restores. */
  keepBackup?: (before: unknown[]) => Promise<void>;
}

/** @example await applyPlan(plan, { clients, approver: 'alice', sensitiveActions, confirm, audit, now }) */
export async function applyPlan(plan: RemediationPlan, settings: ApplySettings): Promise<ApplyOutcome> {
  const { clients } = settings;
  const record = (event: AuditEntry['event'], detail: string, before?: unknown[]) =>
    settings.audit({
      planId: plan.id,
      event,
      at: settings.now().toISOString(),
      approver: settings.approver,
      detail,
      ...(before ? { before } : {}),
    });
  const refuse = async (reason: string, checks: PlanCheck[] = []): Promise<ApplyOutcome> => {
    await record('refused', reason);
    return { result: 'refused', reason, checks };
  };

  if (!plan.applicable || plan.steps.length === 0) return refuse(`the plan is not applicable: ${plan.reason ?? 'it has no steps'}`);
  const request = plan.request;
  if (!request) return refuse('the plan does not carry the denied request, so it cannot be checked again: make it again with fix plan');
  const before: unknown[] = [];
  for (const step of plan.steps) {
    const live = await readLiveDocument(clients, step);
    if (documentSha256(live) !== step.precondition.documentSha256) {
      return refuse(`${step.target} changed since the plan was made (or the plan was already applied): make a new plan`);
    }
    before.push(live);
  }
  const stale = whyNotStillPlanned(plan, request, await settings.freshSnapshot(request));
  if (stale) return refuse(stale);
  const checks: PlanCheck[] = [];
  for (const step of plan.steps) checks.push(...(await runGuards(clients.analyzer, step, settings.sensitiveActions)));
  const failed = checks.filter((c) => c.result === 'fail');
  if (failed.length > 0)
    return refuse(`guards failed: ${failed.map((c) => `${c.name}${c.detail ? ` (${c.detail})` : ''}`).join('; ')}`, checks);
  if (!(await settings.confirm(plan, checks))) return refuse('not confirmed', checks);

  await record('approved', `${plan.steps.length} step(s) approved`, before);
  await settings.keepBackup?.(before);
  const applied: typeof plan.steps = [];
  const undo = async (why: string): Promise<ApplyOutcome> => {
    for (const done of applied.reverse()) await sendChange(clients, done.rollback.action, done.rollback.parameters);
    const reason = `${why}: every applied step was rolled back`;
    await record('rolled-back', reason);
    return { result: 'rolled-back', reason, checks };
  };
  for (const step of plan.steps) {
    const failure = await sendChange(clients, step.action, step.parameters).then(
      () => null,
      (error: unknown) => error as Error,
    );
    // A write can take effect and still answer an error: what is live decides, never the answer.
    const reread = await readLiveDocument(clients, step).catch(() => undefined);
    const asPlanned = reread !== undefined && documentSha256(reread) === documentSha256(newDocumentOf(step));
    const unchanged = reread !== undefined && documentSha256(reread) === step.precondition.documentSha256;
    // Whatever is there now that was not there before may be this write's doing: it is undone with the rest.
    if (!unchanged) applied.push(step);
    if (asPlanned) continue;
    const answered = failure ? ` (AWS answered ${failure.name})` : '';
    if (reread === undefined) return undo(`${step.target} could not be read back after ${step.action}${answered}`);
    if (unchanged && applied.length === 0) return refuse(`${step.action} on ${step.target} failed${answered}: nothing was written`, checks);
    return undo(`${step.target} did not read back as planned after ${step.action}${answered}`);
  }
  const after = await settings.freshSnapshot(request);
  const stillDenied = stillDeniedAfter(request, after);
  if (stillDenied) return undo(stillDenied);
  const unseen = notSeenAfter(request, after);
  await record(
    'applied',
    `${plan.steps.length} step(s) applied and read back; ${unseen ? `not verified: ${unseen}` : 'the request diagnosed as allowed'}`,
  );
  return { result: 'applied', checks, ...(unseen ? { notVerified: unseen } : {}) };
}
