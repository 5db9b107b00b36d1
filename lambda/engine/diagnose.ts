/**
 * The pure core: a denied request and the account as it stands → what denied it, how sure we are, and the
 * smallest fix. No SDK, no clock, no environment.
 */
import { type AuthorizationDecision, decideAuthorization } from './decideAuthorization';
import type { Confidence, DecidingLayer, Diagnosis, LayerName, LayerTrace, Verdict } from '../model/diagnosis';
import { agreesWith, type Evidence, evidenceOf } from './evidence';
import { principalKindOf } from '../events/principalKind';
import { SnapshotError } from '../model/snapshotError';
import { snapshotMismatch } from './snapshotMismatch';
import { type EvidenceTaken, proposeFixes } from '../fixes/proposeFixes';
import { accessPointOf } from '../model/accessPoint';
import { isUnrecordedKey } from '../policy/unrecordedKeys';
import { type EarlierOutcomes, runLayers } from '../layers';
import { collectNotVisible } from './collectNotVisible';
import { couldStillDeny } from './couldStillDeny';
import type { Authorization, LayerOutcome } from '../layers/types';
import type { DeniedRequest } from '../model/request';
import { endpointRefusalOf } from './endpointRefusal';
import { requestFailureOf } from './requestFailure';
import { requestPrincipal, requiredAuthorizations } from './requiredAuthorizations';
import type { AccountSnapshot } from '../model/snapshot';
import { type RankedDeciding, rankDeciding } from './rankDeciding';
import { summarize } from './summarize';
import { type Replay, verifiedFixes } from './verifiedFixes';

function toTrace(outcome: LayerOutcome): LayerTrace {
  return { layer: outcome.layer, action: outcome.action, result: outcome.result, detail: outcome.detail };
}

/** Keys a service sends with its call that CloudTrail leaves out: a decision that rests on them is not certain. */
const SERVICE_SOURCE_KEYS = new Set(['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths']);

/**
 * certain: a visible layer denies and AWS's own message (if any) agrees. likely: we had to take AWS's word
 * for a layer we could not see, or AWS blamed something else, or an unseen layer could have granted.
 * possible: nothing visible denies and unseen layers (or an access point's unread policy) could have.
 */
function confidenceOf(
  { deciding, fromEvidence }: RankedDeciding,
  decisions: AuthorizationDecision[],
  evidence: Evidence | null,
  accessPoint: string | null,
): Confidence {
  const first = deciding[0];
  const unrecorded = decisions.flatMap((d) => d.outcomes).some((o) => o.unrecorded !== null);
  if (!first) return decisions.some((d) => d.undetermined.length > 0) || accessPoint || unrecorded ? 'possible' : 'likely';
  if (fromEvidence.has(first)) return 'likely';
  if (evidence) return agreesWith(evidence, first.layer, first.action) ? 'certain' : 'likely';
  if (first.conditions.some((c) => SERVICE_SOURCE_KEYS.has(c.key.toLowerCase()) && c.actual === null)) return 'likely';
  const service = first.action.toLowerCase().startsWith('kms:') ? 'kms' : 's3';
  if (first.conditions.some((c) => isUnrecordedKey(c.key, service) && c.actual === null)) return 'likely';
  if (first.decision !== 'implicit-deny') return 'certain';
  const owner = decisions.find((d) => d.authorization.action === first.action);
  return owner?.outcomes.some((o) => o.result === 'not-visible') ? 'likely' : 'certain';
}

/**
 * @example
 * const [request] = parseEvent(record).requests;
 * const diagnosis = diagnose(request, snapshot);
 * diagnosis.decidingLayers[0]?.layer; // 'bucket-policy'
 */
export function diagnose(request: DeniedRequest, snapshot: AccountSnapshot): Diagnosis {
  const mismatch = snapshotMismatch(request, snapshot);
  if (mismatch) throw new SnapshotError(`not this request's snapshot: ${mismatch}`);
  const evaluation = evaluate(request, snapshot);
  const diagnosis = assemble(evaluation);
  return { ...diagnosis, fixes: verifiedFixes(diagnosis.fixes, request, snapshot, replayOf(evaluation)) };
}

/**
 * The replay a diagnosis of `request` on `snapshot` proves its fixes with: the same one whether it reuses the
 * outcomes of layers a patch did not touch or evaluates every layer again (`onlyPatched` null).
 */
export function replayFrom(request: DeniedRequest, snapshot: AccountSnapshot): Replay {
  return replayOf(evaluate(request, snapshot));
}

/** An evaluation a replay starts from, and the layers whose documents alone the replay changed. */
interface Since {
  base: Evaluation;
  patched: ReadonlySet<LayerName>;
}

/**
 * What the request needs does not depend on any policy document; only a key's own policy changes the key an
 * authorization carries.
 */
function sameAuthorizations(since: Since | undefined): Authorization[] | undefined {
  return since && !since.patched.has('kms-key-policy') ? since.base.authorizations : undefined;
}

/** The base's outcomes for the same question, to be taken where nothing the layer reads was patched. */
function earlierOutcomes(since: Since | undefined, authorization: Authorization, index: number): EarlierOutcomes | undefined {
  const before = since?.base.authorizations[index];
  if (!since || before?.action !== authorization.action || before.resource !== authorization.resource) return undefined;
  const outcomes = since.base.layerOutcomes[index] ?? [];
  return { patched: since.patched, outcomeOf: (layer) => outcomes.find((o) => o.layer === layer) };
}

/** Every layer decided for every authorization the request needs, and what decided the outcome. */
function evaluate(request: DeniedRequest, snapshot: AccountSnapshot, since?: Since) {
  const unseen = new Map(snapshot.unseen.map((u) => [u.layer, u.reason] as const));
  // A refusal logged without its resource has no authorization to evaluate: only the endpoint can be read.
  const refusal = endpointRefusalOf(request, snapshot);
  const authorizations = refusal ? [] : (sameAuthorizations(since) ?? requiredAuthorizations(request, snapshot));
  const evidence = evidenceOf(request, snapshot.evidence);
  const failure = refusal ?? requestFailureOf(request, authorizations[0]?.action ?? '', authorizations[0]?.resource ?? '');
  const layerOutcomes = failure
    ? []
    : authorizations.map((authorization, i) =>
        runLayers({ request, snapshot, authorization, unseen }, earlierOutcomes(since, authorization, i)),
      );
  const decisions = authorizations.flatMap((authorization, i) => {
    const outcomes = layerOutcomes[i];
    return outcomes ? [decideAuthorization(authorization, outcomes, request.caller.accountId)] : [];
  });
  const ranked = failure
    ? { deciding: [failure.deciding], fromEvidence: new Map<DecidingLayer, EvidenceTaken>() }
    : rankDeciding(decisions, evidence);
  const verdict: Verdict = ranked.deciding[0]?.decision ?? 'not-reproduced';
  return { request, snapshot, authorizations, layerOutcomes, evidence, failure, decisions, ranked, verdict };
}

type Evaluation = ReturnType<typeof evaluate>;

function fixesOf({ failure, ranked, request, snapshot }: Evaluation) {
  return failure ? [failure.fix] : proposeFixes(ranked.deciding, request, snapshot, ranked.fromEvidence);
}

function summaryOf({ verdict, ranked, evidence, decisions, request, snapshot }: Evaluation) {
  return summarize({ verdict, deciding: ranked.deciding, evidence, decisions, request, snapshot });
}

/**
 * What a fix's replay needs: the verdict, and only when the request is still denied, what it still lacks
 * and why. A replay that lets the request through (the common case) proposes and words nothing. When only
 * documents changed, each layer that reads none of them keeps the outcome it had in `base`.
 */
function replayOf(base: Evaluation): Replay {
  return (request, snapshot, onlyPatched) => {
    const evaluation = evaluate(request, snapshot, onlyPatched ? { base, patched: onlyPatched } : undefined);
    return {
      verdict: evaluation.verdict,
      summary: () => summaryOf(evaluation),
      fixes: () => fixesOf(evaluation),
      couldStillDeny: () => couldStillDeny(evaluation.decisions, request),
    };
  };
}

function assemble(evaluation: Evaluation): Diagnosis {
  const { request, snapshot, authorizations, evidence, failure, decisions, ranked, verdict } = evaluation;
  const principal = requestPrincipal(request);
  const context = authorizations[0]?.query.context ?? request.context;
  return {
    diagnosisVersion: 1,
    event: request.event,
    request: {
      principalArn: request.caller.arn ?? principal.arn,
      principalType: principalKindOf(request.caller),
      sessionArn: request.caller.sessionArn,
      actions: failure && authorizations.length === 0 ? [failure.deciding.action] : authorizations.map((a) => a.action),
      resources:
        failure && authorizations.length === 0 ? [failure.deciding.resource ?? ''] : [...new Set(authorizations.map((a) => a.resource))],
      context,
    },
    verdict,
    decidingLayers: ranked.deciding,
    layers: decisions.flatMap((d) => d.outcomes.map(toTrace)),
    fixes: fixesOf(evaluation),
    notVisible: collectNotVisible(snapshot, decisions, request),
    confidence: failure ? 'certain' : confidenceOf(ranked, decisions, evidence, accessPointOf(request)),
    summary: summaryOf(evaluation),
  };
}
