/** The documents a plan step carries: the one it writes, the one its rollback puts back (null: none), and what it adds. */
import type { PlanStep } from '../model/remediationPlan';

function documentIn(parameters: Record<string, unknown>): unknown {
  const text = parameters.Policy ?? parameters.PolicyDocument;
  return typeof text === 'string' ? (JSON.parse(text) as unknown) : null;
}

function statementsIn(document: unknown): unknown[] {
  const list = (document as { Statement?: unknown } | null)?.Statement;
  return Array.isArray(list) ? list : list ? [list] : [];
}

export function newDocumentOf(step: PlanStep): unknown {
  return documentIn(step.parameters);
}

export function previousDocumentOf(step: PlanStep): unknown {
  return documentIn(step.rollback.parameters);
}

/** A plan keeps every statement in place and appends its own, so what it adds is the tail. */
export function addedStatementsOf(step: PlanStep): unknown[] {
  return statementsIn(newDocumentOf(step)).slice(statementsIn(previousDocumentOf(step)).length);
}
