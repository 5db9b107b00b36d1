/**
 * One policy document against one authorization query, with a trace of every statement.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { evaluateConditions } from './conditions';
import { listOf } from './listOf';
import { compilePattern } from './pattern';
import type { Wildcard } from './wildcard';
import { matchPrincipal, notPrincipalApplies, type PrincipalMatch } from './principal';
import type { AuthorizationQuery, PolicyDocument, PolicyEvaluation, Statement, StatementTrace } from './types';

export interface EvaluateOptions {
  /** Resource-based policies name their principals; identity policies, SCPs and boundaries do not. */
  principalRequired: boolean;
}

export interface TracedStatement extends StatementTrace {
  principalMatch: PrincipalMatch;
}

export interface TracedEvaluation extends PolicyEvaluation {
  decisive: TracedStatement | null;
  nearMiss: TracedStatement | null;
  resourceMiss: TracedStatement | null;
  statements: TracedStatement[];
}

export function statementsOf(document: PolicyDocument): Statement[] {
  const raw = document.Statement;
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((s): s is Statement => typeof s === 'object' && s !== null);
}

/**
 * A statement's Action and Resource patterns, compiled once per document: a snapshot is evaluated for
 * many layers and actions, and recompiling every pattern each time was most of the engine's cost.
 * Patterns holding policy variables depend on the request and are compiled per query instead.
 */
interface CompiledStatement {
  actions: Wildcard[];
  negatedActions: boolean;
  resources: Array<Wildcard | string> | null;
  negatedResources: boolean;
}

// One cache per policy grammar: a statement reads `${…}` as a variable only under Version 2012-10-17, and
// the same statement object can reach a document of another Version (a what-if patch, a test table).
const compiledStatements = {
  withVariables: new WeakMap<Statement, CompiledStatement>(),
  literal: new WeakMap<Statement, CompiledStatement>(),
};
const ACTION_OPTIONS = { caseInsensitive: true, variables: false, wildcards: true };
const NO_CONTEXT = {};

function compileStatement(statement: Statement, variables: boolean): CompiledStatement {
  const cache = variables ? compiledStatements.withVariables : compiledStatements.literal;
  const cached = cache.get(statement);
  if (cached) return cached;
  const negatedActions = statement.NotAction !== undefined;
  const actions = listOf(negatedActions ? statement.NotAction : statement.Action)
    .map((pattern) => compilePattern(pattern, NO_CONTEXT, ACTION_OPTIONS))
    .filter((compiled): compiled is Wildcard => compiled !== null);
  const negatedResources = statement.NotResource !== undefined;
  const resourceElement = negatedResources ? statement.NotResource : statement.Resource;
  const resources =
    resourceElement === undefined
      ? null
      : listOf(resourceElement).map((pattern) =>
          variables && pattern.includes('${')
            ? pattern
            : (compilePattern(pattern, NO_CONTEXT, { caseInsensitive: false, variables: false, wildcards: true }) as Wildcard),
        );
  const compiled = { actions, negatedActions, resources, negatedResources };
  cache.set(statement, compiled);
  return compiled;
}

/** Action names are case-insensitive; `s3:Put*` and `S3:PUTOBJECT` both name `s3:PutObject`. */
function actionMatches(compiled: CompiledStatement, query: AuthorizationQuery): boolean {
  const named = compiled.actions.some((regex) => regex.test(query.action));
  return compiled.negatedActions ? !named : named;
}

/**
 * Resource ARNs are case-sensitive and may hold policy variables. A statement without either element
 * applies. A variable the request cannot resolve makes its entry match nothing, and a NotResource with
 * such an entry match nothing at all: the statement does not apply, rather than applying everywhere.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value
 */
function resourceMatches(compiled: CompiledStatement, query: AuthorizationQuery): boolean {
  if (compiled.resources === null) return true;
  const options = { caseInsensitive: false, variables: true, wildcards: true };
  const patterns = compiled.resources.map((pattern) =>
    typeof pattern === 'string' ? compilePattern(pattern, query.context, options) : pattern,
  );
  if (compiled.negatedResources) return !patterns.includes(null) && !patterns.some((p) => p?.test(query.resource));
  return patterns.some((p) => p?.test(query.resource) ?? false);
}

function principalOf(statement: Statement, query: AuthorizationQuery, options: EvaluateOptions): PrincipalMatch {
  if (!options.principalRequired) return 'session-or-user';
  if (statement.NotPrincipal !== undefined) {
    return notPrincipalApplies(statement.NotPrincipal, query.principal) ? 'everyone' : null;
  }
  return matchPrincipal(statement.Principal, query.principal);
}

function traceStatement(
  statement: Statement,
  index: number,
  query: AuthorizationQuery,
  options: EvaluateOptions,
  variables: boolean,
): TracedStatement {
  const effect = statement.Effect === 'Deny' ? 'Deny' : 'Allow';
  const compiled = compileStatement(statement, variables);
  const actionMatched = actionMatches(compiled, query);
  const resourceMatched = actionMatched && resourceMatches(compiled, query);
  const principalMatch = principalOf(statement, query, options);
  const principalMatched = principalMatch !== null;
  const reached = actionMatched && resourceMatched && principalMatched;
  const { satisfied, traces } = reached
    ? evaluateConditions(statement.Condition, query.context, variables)
    : { satisfied: false, traces: [] };
  return {
    index,
    sid: typeof statement.Sid === 'string' ? statement.Sid : null,
    effect,
    actionMatched,
    resourceMatched,
    principalMatched,
    principalMatch,
    result: !reached ? 'no-match' : satisfied ? 'match' : 'condition-failed',
    conditions: traces,
    statement,
  };
}

/**
 * Decides one document: a matching Deny wins, then a matching Allow, else an implicit deny with the
 * Allow that came closest.
 *
 * @example evaluatePolicy(bucketPolicy, { principal, action: 's3:PutObject', resource: objectArn, context }, { principalRequired: true })
 */
export function evaluatePolicy(document: PolicyDocument, query: AuthorizationQuery, options: EvaluateOptions): TracedEvaluation {
  const variables = document.Version === '2012-10-17';
  const statements = statementsOf(document).map((s, i) => traceStatement(s, i, query, options, variables));
  const deny = statements.find((s) => s.effect === 'Deny' && s.result === 'match');
  const allow = statements.find((s) => s.effect === 'Allow' && s.result === 'match');
  const decision = deny ? 'explicit-deny' : allow ? 'allow' : 'implicit-deny';
  const nearMiss =
    decision === 'implicit-deny' ? (statements.find((s) => s.effect === 'Allow' && s.result === 'condition-failed') ?? null) : null;
  const resourceMiss =
    decision === 'implicit-deny' ? (statements.find((s) => s.effect === 'Allow' && s.actionMatched && !s.resourceMatched) ?? null) : null;
  return { decision, decisive: deny ?? allow ?? null, nearMiss, resourceMiss, statements };
}
