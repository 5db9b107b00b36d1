/**
 * Which layers decided, most decisive first: explicit denies and refusing settings before silences, AWS's own
 * word (when it names a layer we could not see, or an action we do not evaluate) where it belongs, and, among
 * equals, the one AWS named before the others.
 */
import type { AuthorizationDecision } from './decideAuthorization';
import type { DecidingLayer } from '../model/diagnosis';
import { agreesWith, type Evidence } from './evidence';
import type { EvidenceTaken } from '../fixes/proposeFixes';
import { askedFor } from '../model/unevaluatedActions';
import type { LayerOutcome } from '../layers/types';

const DECISION_RANK = { 'explicit-deny': 0, 'setting-blocked': 1, 'implicit-deny': 2 } as const;

function toDeciding(outcome: LayerOutcome): DecidingLayer {
  return {
    layer: outcome.layer,
    action: outcome.action,
    resource: outcome.resource,
    decision:
      outcome.result === 'explicit-deny' ? 'explicit-deny' : outcome.result === 'setting-blocked' ? 'setting-blocked' : 'implicit-deny',
    policy: outcome.policy,
    statement: outcome.statement,
    conditions: outcome.conditions,
    explanation: outcome.explanation ?? outcome.detail,
  };
}

/**
 * AWS's word as a deciding layer: for a layer we could not see, or for an action we do not evaluate (an
 * upload's tags need s3:PutObjectTagging, which the contract's list leaves out). Never "it probably changed since".
 */
function decidingFromEvidence(evidence: Evidence, resource: string, explanation: string): DecidingLayer {
  return {
    layer: evidence.layer,
    action: evidence.action,
    resource,
    decision: evidence.decision,
    policy: evidence.policy,
    statement: null,
    conditions: [],
    explanation,
  };
}

/** Why AWS's word decides a layer we could not see. */
function unseenLayerExplanation(evidence: Evidence, outcome: LayerOutcome | undefined): string {
  const why = outcome?.detail ? ` We could not check it ourselves: ${outcome.detail}.` : '';
  return `${evidence.said}.${why}`;
}

/** Why AWS's word decides an action none of the request's authorizations asks for. */
function unevaluatedActionExplanation(evidence: Evidence): string {
  return `${evidence.said}: ${askedFor(evidence.action).why}. why-denied does not evaluate ${evidence.action}, so this rests on AWS's word.`;
}

interface Ranked {
  deciding: DecidingLayer;
  order: number;
}

export interface RankedDeciding {
  deciding: DecidingLayer[];
  /** Deciding layers we took from AWS's word: we could not see them, or do not evaluate the action it named. */
  fromEvidence: ReadonlyMap<DecidingLayer, EvidenceTaken>;
}

/**
 * Where the layer AWS blamed stands in our evaluation: seen (then our own verdict on it stands, and any
 * disagreement is reported), or hidden (then AWS's word decides it).
 */
function blamedOutcome(decisions: AuthorizationDecision[], evidence: Evidence) {
  const found = decisions.findIndex((d) => d.authorization.action.toLowerCase() === evidence.action.toLowerCase());
  const index = Math.max(0, found);
  // Only the blamed action's own outcome counts as seen: another action's Allow in that layer says nothing of it.
  const outcomes = (decisions[found]?.outcomes ?? []).filter((o) => o.layer === evidence.layer);
  return {
    index,
    decision: decisions[index],
    visible: outcomes.find((o) => o.result !== 'not-visible'),
    hidden: outcomes.find((o) => o.result === 'not-visible'),
  };
}

/**
 * An S3 action AWS refused that no authorization asks for. A KMS action missing is another matter: the upload
 * used a key we did not know of (its bucket's encryption unread), and the KMS layers are then what went unseen.
 */
function notEvaluated(action: string, decisions: AuthorizationDecision[]): boolean {
  const asked = action.toLowerCase();
  return decisions.length > 0 && asked.startsWith('s3:') && !decisions.some((d) => d.authorization.action.toLowerCase() === asked);
}

export function rankDeciding(decisions: AuthorizationDecision[], evidence: Evidence | null): RankedDeciding {
  const ranked: Ranked[] = [];
  const fromEvidence = new Map<DecidingLayer, EvidenceTaken>();
  decisions.forEach((decision, authIndex) => {
    decision.denials.forEach((outcome, i) => {
      ranked.push({ deciding: toDeciding(outcome), order: authIndex * 100 + i });
    });
  });
  if (evidence && !ranked.some((r) => agreesWith(evidence, r.deciding.layer, r.deciding.action))) {
    const blamed = blamedOutcome(decisions, evidence);
    if (notEvaluated(evidence.action, decisions)) {
      const deciding = decidingFromEvidence(evidence, decisions[0]?.authorization.resource ?? '', unevaluatedActionExplanation(evidence));
      fromEvidence.set(deciding, 'action-not-evaluated');
      ranked.push({ deciding, order: -1 });
    } else if (blamed.visible === undefined) {
      const resource = blamed.decision?.authorization.resource ?? '';
      const deciding = decidingFromEvidence(evidence, resource, unseenLayerExplanation(evidence, blamed.hidden));
      fromEvidence.set(deciding, 'layer-not-visible');
      ranked.push({ deciding, order: blamed.index * 100 - 1 });
    }
  }
  const agrees = (d: DecidingLayer) => (evidence && agreesWith(evidence, d.layer, d.action) ? 0 : 1);
  const deciding = ranked
    .sort(
      (a, b) =>
        DECISION_RANK[a.deciding.decision] - DECISION_RANK[b.deciding.decision] ||
        agrees(a.deciding) - agrees(b.deciding) ||
        a.order - b.order,
    )
    .map((r) => r.deciding);
  return { deciding, fromEvidence };
}
