/**
 * The policies of one layer (a role's identity policies, a bucket policy, a key policy…) against one
 * authorization: a Deny in any of them wins, then an Allow in any of them, else the closest miss.
 */
import type { LayerName } from '../model/diagnosis';
import { policyShapeProblem } from '../policy/policyShapeProblem';
import { evaluatePolicy, type TracedEvaluation, type TracedStatement } from '../policy/evaluatePolicy';
import { type PrincipalMatch, strongerMatch } from '../policy/principal';
import { capitalize, describeConditions, describePolicy, describeStatement } from './describe';
import { PolicyUnreadableError } from './errors';
import { layerOutcome, noGrant } from './outcomes';
import type { LayerInput, LayerOutcome, NamedDocument, UnrecordedTurn } from './types';
import { unrecordedKeysDeciding } from '../policy/unrecordedKeys';

interface Evaluated {
  named: NamedDocument;
  evaluation: TracedEvaluation;
}

export interface DocumentsOptions {
  principalRequired: boolean;
  /** How the explanation names the whole layer: "the role's identity policies". */
  subject: string;
}

/** Checked once per document: a snapshot's policies are evaluated for many layers and actions. */
const shapeProblems = new WeakMap<object, string | null>();

function checkShape(named: NamedDocument): void {
  const document = named.document as unknown;
  if (typeof document !== 'object' || document === null) throw new PolicyUnreadableError(`${describePolicy(named.ref)} has no Statement`);
  let problem = shapeProblems.get(document);
  // Stryker disable next-line ConditionalExpression: checking again when cached finds the same problem (equivalent).
  if (problem === undefined) {
    problem = policyShapeProblem(document);
    shapeProblems.set(document, problem);
  }
  if (problem === 'has no Statement') throw new PolicyUnreadableError(`${describePolicy(named.ref)} has no Statement`);
  if (problem) throw new PolicyUnreadableError(`${describePolicy(named.ref)} is not a valid IAM policy: ${problem}`);
}

function resourcesOf(statement: TracedStatement): string {
  const element = statement.statement.Resource ?? statement.statement.NotResource;
  return Array.isArray(element) ? element.join(', ') : String(element);
}

function statementRef(statement: TracedStatement) {
  return { sid: statement.sid, index: statement.index, body: statement.statement };
}

/** The strongest way any matching Allow, in any of the documents, named the caller. */
function strongestGrant(allowing: Evaluated[]): PrincipalMatch {
  let best: PrincipalMatch = null;
  for (const { evaluation } of allowing) {
    for (const statement of evaluation.statements) {
      if (statement.effect === 'Allow' && statement.result === 'match') best = strongerMatch(best, statement.principalMatch);
    }
  }
  return best;
}

/** The first document with an Allow that came close, and that Allow. */
function firstTrace(evaluated: Evaluated[], miss: 'nearMiss' | 'resourceMiss'): { named: NamedDocument; trace: TracedStatement } | null {
  for (const { named, evaluation } of evaluated) {
    const trace = evaluation[miss];
    if (trace) return { named, trace };
  }
  return null;
}

/**
 * The first statement of `effect` that failed only on keys CloudTrail does not record: a Deny that may have
 * matched the upload as it was sent, or an Allow that may have granted it.
 */
function turnOnUnrecorded(evaluated: Evaluated[], effect: 'Allow' | 'Deny', service: 's3' | 'kms'): UnrecordedTurn | null {
  for (const { named, evaluation } of evaluated) {
    for (const statement of evaluation.statements) {
      if (statement.effect !== effect || statement.result !== 'condition-failed') continue;
      const keys = unrecordedKeysDeciding(statement.conditions, service);
      if (keys.length > 0)
        return { effect, where: `${describeStatement(statement.sid, statement.index)} in ${describePolicy(named.ref)}`, keys };
    }
  }
  return null;
}

/**
 * @example evaluateDocuments('bucket-policy', [{ ref, document }], input, { principalRequired: true, subject: 'the bucket policy' })
 */
export function evaluateDocuments(
  layer: LayerName,
  documents: NamedDocument[],
  input: LayerInput,
  options: DocumentsOptions,
): LayerOutcome {
  const { action, resource, query, service } = input.authorization;
  const evaluated: Evaluated[] = documents.map((named) => {
    checkShape(named);
    return { named, evaluation: evaluatePolicy(named.document, query, options) };
  });

  const denied = evaluated.find((e) => e.evaluation.decision === 'explicit-deny');
  if (denied?.evaluation.decisive) {
    const deny = denied.evaluation.decisive;
    const because = describeConditions(deny.conditions, 'satisfied');
    const where = `${describeStatement(deny.sid, deny.index)} in ${describePolicy(denied.named.ref)}`;
    return layerOutcome(layer, input, 'explicit-deny', `denied by ${where}`, {
      policy: denied.named.ref,
      statement: statementRef(deny),
      conditions: deny.conditions,
      explanation: capitalize(`${where} denies ${action}${because ? ` because ${because}` : ' unconditionally'}.`),
    });
  }

  // Not denied as recorded: a Deny that turns on what the record does not tell may still have matched, and
  // failing that, an Allow that turns on it may have granted.
  const unrecorded = () => turnOnUnrecorded(evaluated, 'Deny', service) ?? turnOnUnrecorded(evaluated, 'Allow', service);
  const allowing = evaluated.filter((e) => e.evaluation.decision === 'allow');
  const firstAllow = allowing[0];
  if (firstAllow?.evaluation.decisive) {
    const allow = firstAllow.evaluation.decisive;
    return layerOutcome(
      layer,
      input,
      'allow',
      `allowed by ${describeStatement(allow.sid, allow.index)} in ${describePolicy(firstAllow.named.ref)}`,
      {
        policy: firstAllow.named.ref,
        statement: statementRef(allow),
        grant: strongestGrant(allowing),
        unrecorded: turnOnUnrecorded(evaluated, 'Deny', service),
      },
    );
  }

  const near = firstTrace(evaluated, 'nearMiss');
  if (near) {
    const { named, trace } = near;
    const where = `${describeStatement(trace.sid, trace.index)} in ${describePolicy(named.ref)}`;
    const failed = describeConditions(trace.conditions, 'failed');
    return noGrant(layer, input, `no Allow matched; ${where} failed its conditions`, {
      policy: named.ref,
      statement: statementRef(trace),
      conditions: trace.conditions,
      explanation: capitalize(`${where} would allow ${action}, but ${failed}.`),
      unrecorded: unrecorded(),
    });
  }
  const missed = firstTrace(evaluated, 'resourceMiss');
  if (missed) {
    const { named, trace } = missed;
    const where = `${describeStatement(trace.sid, trace.index)} in ${describePolicy(named.ref)}`;
    return noGrant(layer, input, `no Allow matched; ${where} names ${action} but other resources`, {
      policy: named.ref,
      unrecorded: unrecorded(),
      explanation: capitalize(`${where} allows ${action} only on ${resourcesOf(trace)}, which does not match ${resource}.`),
    });
  }
  const none = documents.length === 0 ? `${options.subject} are empty` : `no statement in ${options.subject} allows it`;
  return noGrant(layer, input, none, {
    explanation: `No statement in ${options.subject} allows ${action} on ${resource}.`,
    unrecorded: unrecorded(),
  });
}
