/** The IAM policy grammar as it arrives in JSON: every element may be a string or a list. */
export type OneOrMany<T> = T | T[];

export type PrincipalElement = '*' | Record<string, OneOrMany<string>>;

export type ConditionBlock = Record<string, Record<string, OneOrMany<string | number | boolean>>>;

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: PrincipalElement;
  NotPrincipal?: PrincipalElement;
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: OneOrMany<Statement>;
}

/** Values of one request context key; a key the request does not carry is simply absent. */
export type ContextValue = string | string[];
export type RequestContext = Record<string, ContextValue>;

/** Who is asking, in the forms a Principal element can name them. */
export interface RequestPrincipal {
  /** The ARN AWS matches first: the role session, the user, or the account root. */
  arn: string;
  /** For a role session, the role itself: AWS matches either in a resource policy. */
  roleArn?: string;
  accountId: string;
  /** Set when an AWS service principal (e.g. `s3.amazonaws.com`) is the caller. */
  service?: string;
  /** An unsigned request: only `*` names it. */
  anonymous?: boolean;
  /** An IAM user or role with a permissions boundary: NotPrincipal with Deny never exempts it. */
  hasPermissionsBoundary?: boolean;
  canonicalUserId?: string;
}

/** One authorization question: may `principal` perform `action` on `resource` given `context`. */
export interface AuthorizationQuery {
  principal: RequestPrincipal;
  action: string;
  resource: string;
  context: RequestContext;
}

export interface ConditionTrace {
  operator: string;
  key: string;
  expected: string[];
  actual: string[] | null;
  satisfied: boolean;
}

export type StatementMatch = 'match' | 'condition-failed' | 'no-match';

export interface StatementTrace {
  index: number;
  sid: string | null;
  effect: 'Allow' | 'Deny';
  /** How far the statement got: action, resource and principal matched, then conditions. */
  actionMatched: boolean;
  resourceMatched: boolean;
  principalMatched: boolean;
  result: StatementMatch;
  conditions: ConditionTrace[];
  statement: Statement;
}

export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface PolicyEvaluation {
  decision: PolicyDecision;
  /** The Deny statement that matched, or the Allow statement that matched. */
  decisive: StatementTrace | null;
  /** For an implicit deny: the Allow that matched action, resource and principal but failed a condition. */
  nearMiss: StatementTrace | null;
  /** For an implicit deny: an Allow that named the action but not this resource. */
  resourceMiss: StatementTrace | null;
  statements: StatementTrace[];
}
