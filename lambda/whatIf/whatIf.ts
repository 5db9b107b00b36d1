/**
 * What-if: the diagnosis before and after a proposed change, and whether the change grants more than the
 * request it is meant to let through.
 */
import { diagnose } from '../engine/diagnose';
import type { Diagnosis, PolicyPatch, RequestChange } from '../model/diagnosis';
import type { DeniedRequest } from '../model/request';
import { requiredAuthorizations } from '../engine/requiredAuthorizations';
import type { AccountSnapshot } from '../model/snapshot';
import { applyPolicyPatch } from '../model/applyPolicyPatch';
import { applyRequestChange } from '../model/applyRequestChange';
import { broaderThanRequest } from './broaderThanRequest';

export interface Change {
  policyPatches?: PolicyPatch[];
  requestChange?: RequestChange;
}

export interface WhatIf {
  before: Diagnosis;
  after: Diagnosis;
  /** The request goes through once the change is made (as far as can be seen). */
  resolved: boolean;
  /** Neighbouring requests the patched statements would also allow: empty for an exact fix. */
  broader: string[];
}

/**
 * After a what-if the change is known, so an allowed request is not "probably changed in between" as a
 * diagnosis of the live account would say: the change let it through, as far as can be seen.
 */
function inWhatIfWords(after: Diagnosis): Diagnosis {
  if (after.verdict !== 'not-reproduced') return after;
  const unseen = after.notVisible.filter((n) => n.layer !== 'unknown').map((n) => n.layer);
  const summary = `With the change applied, nothing visible denies ${after.request.actions.join(', ') || 'the request'}.${unseen.length > 0 ? ` Not visible, and able to deny it still: ${unseen.join(', ')}.` : ''}`;
  return { ...after, summary };
}

/** @example whatIf(request, snapshot, { policyPatches: [fix.policyPatch] }).resolved */
export function whatIf(request: DeniedRequest, snapshot: AccountSnapshot, change: Change): WhatIf {
  const before = diagnose(request, snapshot);
  const patches = change.policyPatches ?? [];
  const patched = patches.reduce(applyPolicyPatch, snapshot);
  const changedRequest = change.requestChange ? applyRequestChange(request, change.requestChange) : request;
  const after = inWhatIfWords(diagnose(changedRequest, patched));
  const queries = requiredAuthorizations(changedRequest, patched);
  // Every authorization the request needs is a starting point: a patch naming `s3:*` is as much about
  // s3:PutObject as one naming it exactly.
  const broader = patches.flatMap((patch) => queries.flatMap((authorization) => broaderThanRequest(patch, authorization.query)));
  return { before, after, resolved: after.verdict === 'not-reproduced', broader: [...new Set(broader)] };
}
