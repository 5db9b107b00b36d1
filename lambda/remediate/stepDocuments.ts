/** The documents a plan step carries: the one it writes and the one its rollback puts back (null: none). */
import type { PlanStep } from '../model/remediationPlan';
import { documentSha256 } from './documentSha256';

function documentIn(parameters: Record<string, unknown>): unknown {
  const text = parameters.Policy ?? parameters.PolicyDocument;
  return typeof text === 'string' ? (JSON.parse(text) as unknown) : null;
}

export function newDocumentOf(step: PlanStep): unknown {
  return documentIn(step.parameters);
}

export function previousDocumentOf(step: PlanStep): unknown {
  return documentIn(step.rollback.parameters);
}

/** A policy parameter as the hash of its canonical document: the same policy in any key order or spacing. */
function canonicalParameters(parameters: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(parameters).map(([name, value]) =>
      (name === 'Policy' || name === 'PolicyDocument') && typeof value === 'string'
        ? [name, documentSha256(JSON.parse(value))]
        : [name, value],
    ),
  );
}

/**
 * A step as two readings of the account agree on it: a plan made offline from a collected snapshot and the
 * same plan made again from a live read differ only in the key order of their documents.
 */
export function canonicalStep(step: PlanStep): unknown {
  return {
    ...step,
    parameters: canonicalParameters(step.parameters),
    rollback: { ...step.rollback, parameters: canonicalParameters(step.rollback.parameters) },
  };
}
