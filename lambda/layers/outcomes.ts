/**
 * Every layer outcome is built here, with one fixed shape. Spreading a partial outcome and overriding its
 * fields made V8 leave its fast path and cost more than the policy evaluation itself.
 */
import type { LayerName } from '../model/diagnosis';
import type { LayerInput, LayerOutcome } from './types';

type Extras = Partial<Pick<LayerOutcome, 'policy' | 'statement' | 'conditions' | 'explanation' | 'grant' | 'unrecorded'>>;

export function layerOutcome(
  layer: LayerName,
  input: LayerInput,
  result: LayerOutcome['result'],
  detail: string,
  extras: Extras = {},
): LayerOutcome {
  return {
    layer,
    action: input.authorization.action,
    resource: input.authorization.resource,
    result,
    detail,
    policy: extras.policy ?? null,
    statement: extras.statement ?? null,
    conditions: extras.conditions ?? [],
    explanation: extras.explanation ?? null,
    grant: extras.grant ?? null,
    unrecorded: extras.unrecorded ?? null,
  };
}

/** The layer does not take part in this authorization. */
export function notApplicable(layer: LayerName, input: LayerInput, detail: string): LayerOutcome {
  return layerOutcome(layer, input, 'not-applicable', detail);
}

export function notVisible(layer: LayerName, input: LayerInput, reason: string): LayerOutcome {
  return layerOutcome(layer, input, 'not-visible', reason);
}

export function allowed(layer: LayerName, input: LayerInput, detail: string, grant: LayerOutcome['grant'] = null): LayerOutcome {
  return layerOutcome(layer, input, 'allow', detail, { grant });
}

/** Nothing in the layer grants it; `explanation` says so to a person. */
export function noGrant(layer: LayerName, input: LayerInput, detail: string, extras: Extras = {}): LayerOutcome {
  return layerOutcome(layer, input, 'implicit-deny', detail, extras);
}

export function settingBlocked(layer: LayerName, input: LayerInput, explanation: string): LayerOutcome {
  return layerOutcome(layer, input, 'setting-blocked', explanation, { explanation });
}

/** The same decision in other words: an org level named, a Block Public Access note added. */
export function reworded(
  outcome: LayerOutcome,
  detail: string,
  explanation: string | null = outcome.explanation,
  unrecorded: LayerOutcome['unrecorded'] = outcome.unrecorded,
): LayerOutcome {
  return {
    layer: outcome.layer,
    action: outcome.action,
    resource: outcome.resource,
    result: outcome.result,
    detail,
    policy: outcome.policy,
    statement: outcome.statement,
    conditions: outcome.conditions,
    explanation,
    grant: outcome.grant,
    unrecorded,
  };
}

/** The same decision, naming the policy it was taken in. */
export function namingPolicy(outcome: LayerOutcome, policy: NonNullable<LayerOutcome['policy']>): LayerOutcome {
  const named = reworded(outcome, outcome.detail);
  named.policy = policy;
  return named;
}

/** The collectors' reason when they listed the layer as unseen. */
export function unseenReason(input: LayerInput, layer: LayerName): string | undefined {
  return input.unseen.get(layer);
}
