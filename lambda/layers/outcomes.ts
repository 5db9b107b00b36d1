/** Outcomes that decide nothing: the layer does not apply, or it could not be seen. */
import type { LayerName } from '../diagnosis';
import type { LayerInput, LayerOutcome } from './types';

function outcome(layer: LayerName, input: LayerInput, result: LayerOutcome['result'], detail: string): LayerOutcome {
  const { action, resource } = input.authorization;
  return { layer, action, resource, result, detail, policy: null, statement: null, conditions: [], explanation: null, grant: null };
}

export function notApplicable(layer: LayerName, input: LayerInput, detail: string): LayerOutcome {
  return outcome(layer, input, 'not-applicable', detail);
}

export function notVisible(layer: LayerName, input: LayerInput, reason: string): LayerOutcome {
  return outcome(layer, input, 'not-visible', reason);
}

export function allowed(layer: LayerName, input: LayerInput, detail: string, grant: LayerOutcome['grant'] = null): LayerOutcome {
  return { ...outcome(layer, input, 'allow', detail), grant };
}

export function settingBlocked(layer: LayerName, input: LayerInput, explanation: string): LayerOutcome {
  return { ...outcome(layer, input, 'setting-blocked', explanation), explanation };
}

/** The collectors' reason when they listed the layer as unseen. */
export function unseenReason(input: LayerInput, layer: LayerName): string | undefined {
  return input.unseen.get(layer);
}
