/** The diagnosis in one or two sentences: what a person reads first. */
import type { AuthorizationDecision } from './decideAuthorization';
import type { DecidingLayer, Verdict } from '../model/diagnosis';
import { agreesWith, type Evidence } from './evidence';
import { layerInWords } from '../model/layerWords';
import { couldStillDeny } from './couldStillDeny';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';

export interface SummaryInputs {
  verdict: Verdict;
  deciding: DecidingLayer[];
  evidence: Evidence | null;
  decisions: AuthorizationDecision[];
  request: DeniedRequest;
  snapshot: AccountSnapshot;
}

export function summarize({ verdict, deciding, evidence, decisions, request, snapshot }: SummaryInputs): string {
  const first = deciding[0];
  const bucket = request.bucket;
  const sentences: string[] = [];
  if (first) {
    sentences.push(`${first.action} was denied by ${layerInWords(first.layer, bucket)}. ${first.explanation}`);
    if (evidence && !deciding.some((d) => agreesWith(evidence, d.layer, d.action))) {
      sentences.push(
        `${evidence.said}, but ${layerInWords(evidence.layer, bucket)} allows it as captured at ${snapshot.capturedAt}: it may have changed since the denial at ${request.event.time}.`,
      );
    }
    return sentences.join(' ');
  }
  if (verdict === 'not-reproduced') {
    const actions = decisions.map((d) => d.authorization.action).join(', ');
    sentences.push(`Every layer we could see allows ${actions || 'the request'} now.`);
    if (evidence) {
      sentences.push(
        `At ${request.event.time} ${evidence.said}; as captured at ${snapshot.capturedAt} it allows the request, so it probably changed in between.`,
      );
    }
    const undetermined = couldStillDeny(decisions, request);
    if (undetermined.length > 0) sentences.push(`Not visible, and able to have denied it: ${undetermined.join(', ')}.`);
  }
  return sentences.join(' ');
}
