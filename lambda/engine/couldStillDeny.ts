/**
 * What could still deny a request that every layer we could see allows: layers not read that could deny it,
 * an access point's unread policy, and Deny statements that turn on keys CloudTrail does not record. The
 * summary of a request allowed now names them, and so does a fix the what-if could prove only this far.
 */
import type { AuthorizationDecision } from './decideAuthorization';
import { layerInWords } from '../model/layerWords';
import { accessPointOf } from '../model/accessPoint';
import type { DeniedRequest } from '../model/request';
import { unknownKeysInWords } from '../policy/unrecordedKeys';

/** @example couldStillDeny(decisions, request) // ['the service control policies'] */
export function couldStillDeny(decisions: AuthorizationDecision[], request: DeniedRequest): string[] {
  const layers = [...new Set(decisions.flatMap((d) => d.undetermined.map((o) => o.layer)))];
  const found = layers.map((layer) => layerInWords(layer, request.bucket));
  const accessPoint = accessPointOf(request);
  if (accessPoint) found.push(`the policy of access point ${accessPoint}`);
  for (const outcome of decisions.flatMap((d) => d.outcomes)) {
    const turn = outcome.unrecorded;
    if (turn?.effect === 'Deny') found.push(`${turn.where} (it turns on ${unknownKeysInWords(turn.keys)})`);
  }
  return found;
}
