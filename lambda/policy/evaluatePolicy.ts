/**
 * One policy document against one authorization query, with a trace of every statement.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { evaluateConditions } from './conditions';
import { matchesPattern } from './pattern';
import { matchPrincipal, notPrincipalApplies, type PrincipalMatch } from './principal';
import type { AuthorizationQuery, OneOrMany, PolicyDocument, PolicyEvaluation, Statement, StatementTrace } from './types';

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

function listOf(value: OneOrMany<string> | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

export function statementsOf(document: PolicyDocument): Statement[] {
  const raw = document.Statement;
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((s): s is Statement => typeof s === 'object' && s !== null);
}

/** Action names are case-insensitive; `s3:Put*` and `S3:PUTOBJECT` both name `s3:PutObject`. */
function actionMatches(statement: Statement, query: AuthorizationQuery): boolean {
  const options = { caseInsensitive: true, variables: false, wildcards: true };
  const test = (patterns: string[]) => patterns.some((p) => matchesPattern(p, query.action, query.context, options));
  if (statement.NotAction !== undefined) return !test(listOf(statement.NotAction));
  return test(listOf(statement.Action));
}

/** Resource ARNs are case-sensitive and may hold policy variables. A statement without either element applies. */
function resourceMatches(statement: Statement, query: AuthorizationQuery, variables: boolean): boolean {
  const options = { caseInsensitive: false, variables, wildcards: true };
  const test = (patterns: string[]) => patterns.some((p) => matchesPattern(p, query.resource, query.context, options));
  if (statement.NotResource !== undefined) return !test(listOf(statement.NotResource));
  if (statement.Resource === undefined) return true;
  return test(listOf(statement.Resource));
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
  const actionMatched = actionMatches(statement, query);
  const resourceMatched = actionMatched && resourceMatches(statement, query, variables);
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
