/** The documents a plan step carries: the one it writes and the one its rollback puts back (null: none). */
import type { PlanStep } from '../model/remediationPlan';

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
