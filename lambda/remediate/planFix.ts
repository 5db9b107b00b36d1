/**
 * `fix plan`: one fix of a diagnosis as the exact AWS calls that carry it out, proved on the same snapshot
 * before anyone approves it — the request is then allowed (`verdictAfter`), and every neighbouring request
 * the change would also allow is listed (`alsoAllows`). Pure: the same request, snapshot and fix give the
 * same plan and the same id; only `createdAt` is the caller's.
 */
import { diagnose } from '../engine/diagnose';
import { requiredAuthorizations } from '../engine/requiredAuthorizations';
import type { Diagnosis, Fix, PolicyPatch } from '../model/diagnosis';
import { patchedDocument, patchesByDocument } from '../model/applyPolicyPatch';
import { PatchError } from '../model/patchError';
import { statementsOf } from '../policy/evaluatePolicy';
import { isGuardrailEdit } from '../fixes/exemptionFix';
import { wildcardFromKey } from '../fixes/jobScope';
import { describeStatement } from '../layers/describe';
import { patchesOf } from '../model/patchesOf';
import { mergedPatches } from '../model/mergedPatches';
import { requestChangeWords } from '../model/requestChangeWords';
import { fingerprint } from '../model/fingerprint';
import { jsonSha256 } from '../model/jsonSha256';
import type { AlsoAllowed, PlanStep, RemediationPlan } from '../model/remediationPlan';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import { listOf } from '../policy/listOf';
import type { Statement } from '../policy/types';
import { neighboursAllowed } from '../whatIf/broaderThanRequest';
import { whatIf } from '../whatIf/whatIf';
import { planStep } from './planStep';
import { onlyNarrows } from './onlyNarrows';

export interface PlanOptions {
  /** Which of `diagnosis.fixes` to carry out; by default the first. */
  fixIndex?: number;
  createdAt: string;
}

/**
 * "Everyone" held to the bucket's own account by `StringEquals` on aws:PrincipalAccount is not everyone: it is
 * how a public statement is made non-public without taking it from the account's own principals. Held to any
 * other account, it would grant that whole account.
 */
function pinnedToOwnAccount(statement: Statement, ownAccount: string): boolean {
  const block = statement.Condition?.StringEquals;
  const key = Object.keys(block ?? {}).find((k) => k.toLowerCase() === 'aws:principalaccount');
  const accounts = key ? listOf(block?.[key] as string | string[]) : [];
  return accounts.length > 0 && accounts.every((account) => account === ownAccount);
}

/**
 * A grant the service will not write, whatever the diagnosis proposed.
 * @param ownAccount the bucket's account, the only one a grant to everyone may be held to
 */
export function refusedGrant(statements: Statement[], ownAccount: string): string | null {
  for (const statement of statements) {
    // A Deny's edit keeps the Deny's own principals and actions: only what a grant adds is refused here.
    if (statement.Effect !== 'Allow') continue;
    if (listOf(statement.Action).includes('*')) return 'it would grant "Action": "*"';
    const principal = statement.Principal;
    const everyone = principal === '*' || (typeof principal === 'object' && listOf(principal.AWS).includes('*'));
    if (everyone && !pinnedToOwnAccount(statement, ownAccount)) return 'it would grant to "Principal": "*"';
    const fromKey = listOf(statement.Resource).find(wildcardFromKey);
    if (fromKey) return `its Resource ${fromKey} holds a wildcard or policy variable inside the object key`;
  }
  return null;
}

/** The fix asked for, or the diagnosis's first: the one it puts forward. */
function chosenFix(diagnosis: Diagnosis, fixIndex = 0): { fix: Fix; index: number } | null {
  const fix = diagnosis.fixes[fixIndex];
  return fix ? { fix, index: fixIndex } : null;
}

function planId(eventId: string, steps: PlanStep[], fixIndex: number | undefined): string {
  return jsonSha256([eventId, fixIndex ?? null, steps]).slice(0, 32);
}

/**
 * The id a plan's own content gives: what the button carried must equal it, so a plan swapped behind a
 * real button (other steps under the same key) is never the one applied.
 */
export function planIdOf(plan: RemediationPlan): string {
  return planId(plan.eventId, plan.steps, plan.fixIndex);
}

/** @example planFix(request, snapshot, { createdAt: new Date().toISOString() }).steps[0]?.action // 'PutBucketPolicy' */
export function planFix(request: DeniedRequest, snapshot: AccountSnapshot, options: PlanOptions): RemediationPlan {
  const diagnosis = diagnose(request, snapshot);
  const chosen = chosenFix(diagnosis, options.fixIndex);
  const base = {
    planVersion: 1 as const,
    createdAt: options.createdAt,
    eventId: request.event.id,
    fingerprint: fingerprint(diagnosis),
    ...(chosen ? { fixIndex: chosen.index, summary: chosen.fix.summary } : {}),
    owner: chosen?.fix.owner ?? 'account-admin',
    verdictBefore: diagnosis.verdict,
    request,
  };
  const notApplicable = (reason: string): RemediationPlan => ({
    ...base,
    id: planId(request.event.id, [], chosen?.index),
    applicable: false,
    reason,
    verdictAfter: diagnosis.verdict,
    alsoAllows: [],
    steps: [],
  });

  if (diagnosis.verdict === 'not-reproduced') {
    const unseen = diagnosis.notVisible.map((n) => n.layer);
    return notApplicable(
      unseen.length > 0
        ? `the snapshot does not reproduce the denial, and ${unseen.join(', ')} could not be read: nothing to change until it does`
        : 'the snapshot shows the request allowed: there is nothing to change',
    );
  }
  if (!chosen) {
    return notApplicable(options.fixIndex === undefined ? 'the diagnosis proposes no fix' : `the diagnosis has no fix ${options.fixIndex}`);
  }
  const patches = mergedPatches(patchesOf(chosen.fix));
  if (patches.length === 0)
    return notApplicable(`the fix is the ${chosen.fix.owner}'s to carry out, with no policy to change: ${chosen.fix.summary}`);
  const broad = refusedGrant(
    patches.flatMap((p) => p.Statement),
    snapshot.bucket.accountId,
  );
  if (broad) return notApplicable(`the proposed statement is refused: ${broad}`);
  const guardrail = patches.map((patch) => guardrailReason(patch, snapshot)).find((reason) => reason !== null);
  if (guardrail) return notApplicable(guardrail);
  // One step per document, carrying every change to it: the steps' preconditions are all checked before the first write.
  const planned = patchesByDocument(snapshot, patches).map((edits) => planStep(edits, request, snapshot));
  const refused = planned.find((p): p is { reason: string } => 'reason' in p);
  if (refused) return notApplicable(refused.reason);
  if (chosen.fix.requestChange) {
    return notApplicable(
      `the policy change works only together with the uploader's change (${requestChangeWords(chosen.fix.requestChange)}), which no plan can make`,
    );
  }

  const after = whatIf(request, snapshot, { policyPatches: patches }).after;
  const alsoAllows: AlsoAllowed[] = requiredAuthorizations(request, snapshot).flatMap((authorization) =>
    patches.flatMap((patch) =>
      neighboursAllowed(patch, authorization.query).map((n) => ({
        principal: n.query.principal.arn,
        action: n.query.action,
        resource: n.query.resource,
        ...(n.intended ? { intended: true } : {}),
      })),
    ),
  );
  if (after.verdict !== 'not-reproduced') {
    return { ...notApplicable(`the request would still be denied (${after.verdict}) after the change`), verdictAfter: after.verdict };
  }
  if (alsoAllows.some((also) => !also.intended)) {
    return { ...notApplicable('the change would also allow the neighbouring requests listed'), verdictAfter: after.verdict, alsoAllows };
  }
  const steps = planned.map((p) => (p as { step: PlanStep }).step);
  return { ...base, id: planId(request.event.id, steps, chosen.index), applicable: true, verdictAfter: after.verdict, alsoAllows, steps };
}

/** An edit of a Deny that is no allowlist is for its owner to weigh, never for this service to apply. */
function guardrailReason(patch: PolicyPatch, snapshot: AccountSnapshot): string | null {
  const target = patch.replaceStatement;
  if (!target) return null;
  let original: Statement | undefined;
  try {
    const { before } = patchedDocument(snapshot, patch);
    original = before ? statementsOf(before).find((s, i) => (target.sid ? s.Sid === target.sid : i === target.index)) : undefined;
  } catch (error) {
    if (error instanceof PatchError) return error.message;
    throw error;
  }
  const [edited] = patch.Statement;
  if (original?.Effect === 'Allow' && edited) {
    return onlyNarrows(original, edited)
      ? null
      : `the edit of ${describeStatement(target.sid ?? null, target.index)} would widen an Allow: only conditions may be added to one`;
  }
  if (!isGuardrailEdit(patch.layer, original)) return null;
  return `${describeStatement(target.sid ?? null, target.index)} is a guardrail (a Deny in the ${patch.layer} that names no principals it spares): the edit is shown for its owner to weigh, and this service never widens a guardrail`;
}
