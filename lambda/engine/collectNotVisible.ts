/**
 * What a diagnosis could not see, layer by layer: what the collectors could not read, layers that could not be
 * evaluated, statements that turn on keys CloudTrail does not record, and what no layer of the contract covers
 * (an access point's policy; AWS's own silence when it gives no enhanced message).
 */
import type { AuthorizationDecision } from './decideAuthorization';
import { LAYER_NAMES, type LayerName, type NotVisible } from '../model/diagnosis';
import { principalKindOf } from '../events/principalKind';
import { shellQuote } from '../fixes/shellQuote';
import { accessPointOf } from '../model/accessPoint';
import type { UnrecordedTurn } from '../layers/types';
import { unknownKeysInWords } from '../policy/unrecordedKeys';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';

const KNOWN_LAYERS = new Set<string>(LAYER_NAMES);

function asLayerName(layer: string): LayerName {
  return KNOWN_LAYERS.has(layer) ? (layer as LayerName) : 'unknown';
}

/** `statement "X" in the bucket policy of b may deny the upload: it turns on s3:signatureAge, which CloudTrail does not record, …` */
function unrecordedInWords(turn: UnrecordedTurn): string {
  const may = turn.effect === 'Deny' ? 'may deny the upload' : 'may allow the upload';
  return `${turn.where} ${may}: it turns on ${unknownKeysInWords(turn.keys)}, so the decision is unknown here`;
}

/** The unread access point policy, with the call that shows it. */
function accessPointUnread(arn: string): string {
  const [, , , region = '', account = '', resource = ''] = arn.split(':');
  const name = resource.slice(resource.indexOf('/') + 1);
  const show = `aws s3control get-access-point-policy --account-id ${shellQuote(account)} --name ${shellQuote(name)} --region ${shellQuote(region)}`;
  return `the upload came through access point ${arn}, whose policy must also allow it and is not read (${show})`;
}

export function collectNotVisible(snapshot: AccountSnapshot, decisions: AuthorizationDecision[], request: DeniedRequest): NotVisible[] {
  const seen = new Map<LayerName, string>();
  // A layer that applies to none of the request's authorizations (an AWS service has no identity policies)
  // hides nothing, whatever the collectors could not read of it.
  const outcomes = decisions.flatMap((d) => d.outcomes);
  const evaluated = new Set(outcomes.map((o) => o.layer));
  const applicable = new Set(outcomes.filter((o) => o.result !== 'not-applicable').map((o) => o.layer));
  for (const { layer, reason } of snapshot.unseen) {
    const name = asLayerName(layer);
    if (!evaluated.has(name) || applicable.has(name)) seen.set(name, reason);
  }
  for (const outcome of outcomes) {
    if (outcome.result === 'not-visible' && !seen.has(outcome.layer)) seen.set(outcome.layer, outcome.detail);
  }
  for (const outcome of outcomes) {
    if (outcome.unrecorded && !seen.has(outcome.layer)) seen.set(outcome.layer, unrecordedInWords(outcome.unrecorded));
  }
  if (principalKindOf(request.caller) === 'service' && !seen.has('bucket-policy')) {
    seen.set(
      'bucket-policy',
      `CloudTrail does not record the aws:SourceAccount and aws:SourceArn that ${request.caller.invokedBy ?? 'the service'} sent: conditions on them were evaluated as absent`,
    );
  }
  const unknown = [seen.get('unknown')];
  if (request.event.errorMessage?.trim() === 'Access Denied') {
    unknown.push(
      'AWS gave no enhanced error message (it does not for VPC endpoint denials or callers outside the organization), so no layer is confirmed by AWS itself',
    );
  }
  const accessPoint = accessPointOf(request);
  if (accessPoint) unknown.push(accessPointUnread(accessPoint));
  const reasons = unknown.filter((reason): reason is string => reason !== undefined);
  if (reasons.length > 0) seen.set('unknown', reasons.join('; '));
  return [...seen].map(([layer, reason]) => ({ layer, reason }));
}
