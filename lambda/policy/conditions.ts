/**
 * Condition operators, with the AWS rules that are easy to get wrong:
 * - a key the request lacks fails a positive operator and satisfies a negated one (`StringNotEquals`,
 *   `NotIpAddress`, `ArnNotLike`…), except `…IfExists` (satisfied) and `Null` (tests presence);
 * - several values of one key are OR-ed, but NOR-ed under a negated operator;
 * - `ForAnyValue:` fails on a missing key, `ForAllValues:` is satisfied by one.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
import { contextValues } from './context';
import { addressInCidr } from './ipAddress';
import { matchesPattern, resolveVariables } from './pattern';
import type { ConditionBlock, ConditionTrace, RequestContext } from './types';

type ValueMatcher = (actual: string, expected: string, context: RequestContext, variables: boolean) => boolean;

interface OperatorFamily {
  matcher: ValueMatcher;
  negated: boolean;
}

const sensitive = { caseInsensitive: false, variables: true, wildcards: false };

function literal(actual: string, expected: string, context: RequestContext, variables: boolean): boolean {
  return resolveVariables(expected, context, variables) === actual;
}

function literalIgnoreCase(actual: string, expected: string, context: RequestContext, variables: boolean): boolean {
  return resolveVariables(expected, context, variables)?.toLowerCase() === actual.toLowerCase();
}

function like(actual: string, expected: string, context: RequestContext, variables: boolean): boolean {
  return matchesPattern(expected, actual, context, { ...sensitive, variables, wildcards: true });
}

function numeric(compare: (a: number, b: number) => boolean): ValueMatcher {
  return (actual, expected) => {
    const a = Number(actual);
    const b = Number(expected);
    return actual.trim() !== '' && expected.trim() !== '' && Number.isFinite(a) && Number.isFinite(b) && compare(a, b);
  };
}

/** Dates are ISO 8601 or epoch seconds, on either side. */
function toEpochMillis(text: string): number {
  if (/^\d+$/.test(text.trim())) return Number(text) * 1000;
  return Date.parse(text);
}

function date(compare: (a: number, b: number) => boolean): ValueMatcher {
  return (actual, expected) => {
    // An unreadable date is NaN, and every comparison with NaN is false.
    return compare(toEpochMillis(actual), toEpochMillis(expected));
  };
}

function bool(actual: string, expected: string): boolean {
  return actual.toLowerCase() === expected.toLowerCase();
}

function binary(actual: string, expected: string): boolean {
  return Buffer.from(actual, 'base64').equals(Buffer.from(expected, 'base64'));
}

function ip(actual: string, expected: string): boolean {
  return addressInCidr(actual, expected);
}

/** ARNs compare component by component; each of the first five may hold wildcards, the rest as one. */
function arnLike(actual: string, expected: string, context: RequestContext, variables: boolean): boolean {
  const actualParts = splitArn(actual);
  const expectedParts = splitArn(expected);
  if (!actualParts || !expectedParts) return false;
  return expectedParts.every((part, i) =>
    matchesPattern(part, actualParts[i] ?? '', context, { caseInsensitive: false, variables, wildcards: true }),
  );
}

function splitArn(arn: string): string[] | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

const FAMILIES: Record<string, OperatorFamily> = {
  stringequals: { matcher: literal, negated: false },
  stringnotequals: { matcher: literal, negated: true },
  stringequalsignorecase: { matcher: literalIgnoreCase, negated: false },
  stringnotequalsignorecase: { matcher: literalIgnoreCase, negated: true },
  stringlike: { matcher: like, negated: false },
  stringnotlike: { matcher: like, negated: true },
  numericequals: { matcher: numeric((a, b) => a === b), negated: false },
  numericnotequals: { matcher: numeric((a, b) => a === b), negated: true },
  numericlessthan: { matcher: numeric((a, b) => a < b), negated: false },
  numericlessthanequals: { matcher: numeric((a, b) => a <= b), negated: false },
  numericgreaterthan: { matcher: numeric((a, b) => a > b), negated: false },
  numericgreaterthanequals: { matcher: numeric((a, b) => a >= b), negated: false },
  dateequals: { matcher: date((a, b) => a === b), negated: false },
  datenotequals: { matcher: date((a, b) => a === b), negated: true },
  datelessthan: { matcher: date((a, b) => a < b), negated: false },
  datelessthanequals: { matcher: date((a, b) => a <= b), negated: false },
  dategreaterthan: { matcher: date((a, b) => a > b), negated: false },
  dategreaterthanequals: { matcher: date((a, b) => a >= b), negated: false },
  bool: { matcher: bool, negated: false },
  binaryequals: { matcher: binary, negated: false },
  ipaddress: { matcher: ip, negated: false },
  notipaddress: { matcher: ip, negated: true },
  arnequals: { matcher: arnLike, negated: false },
  arnlike: { matcher: arnLike, negated: false },
  arnnotequals: { matcher: arnLike, negated: true },
  arnnotlike: { matcher: arnLike, negated: true },
};

interface ParsedOperator {
  set: 'ForAnyValue' | 'ForAllValues' | null;
  base: string;
  ifExists: boolean;
}

function parseOperator(operator: string): ParsedOperator {
  let rest = operator;
  let set: ParsedOperator['set'] = null;
  const qualifier = /^(ForAnyValue|ForAllValues):/i.exec(rest);
  if (qualifier) {
    set = qualifier[1]?.toLowerCase() === 'foranyvalue' ? 'ForAnyValue' : 'ForAllValues';
    rest = rest.slice(qualifier[0].length);
  }
  const ifExists = /IfExists$/i.test(rest);
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  return { set, base: rest.toLowerCase(), ifExists };
}

function asStrings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => String(v));
}

function evaluateOne(operator: string, key: string, expected: string[], context: RequestContext, variables: boolean): boolean {
  const parsed = parseOperator(operator);
  const actual = contextValues(context, key);

  if (parsed.base === 'null') {
    const wantsAbsent = expected.some((v) => v.toLowerCase() === 'true');
    const absent = actual === null || actual.length === 0;
    return wantsAbsent ? absent : !absent;
  }
  // Operator names are policy text: `constructor` or `__proto__` must not reach Object.prototype.
  const family = Object.hasOwn(FAMILIES, parsed.base) ? FAMILIES[parsed.base] : undefined;
  if (!family) return false;

  const matchesAny = (value: string) => expected.some((e) => family.matcher(value, e, context, variables));
  const satisfiedBy = (value: string) => (family.negated ? !matchesAny(value) : matchesAny(value));

  if (actual === null) {
    if (parsed.set === 'ForAllValues') return true;
    if (parsed.set === 'ForAnyValue') return false;
    return parsed.ifExists || family.negated;
  }
  if (parsed.set === 'ForAllValues') return actual.every(satisfiedBy);
  if (parsed.set === 'ForAnyValue') return actual.some(satisfiedBy);
  return family.negated ? actual.every(satisfiedBy) : actual.some(satisfiedBy);
}

/**
 * Evaluates a Condition block: operators AND-ed, keys within an operator AND-ed. Every condition is
 * traced, satisfied or not, so a near miss can show all that failed.
 *
 * @example evaluateConditions({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'false' }, true)
 */
export function evaluateConditions(
  block: ConditionBlock | undefined,
  context: RequestContext,
  variables: boolean,
): { satisfied: boolean; traces: ConditionTrace[] } {
  const traces: ConditionTrace[] = [];
  if (!block || typeof block !== 'object') return { satisfied: true, traces };
  let satisfied = true;
  for (const [operator, keys] of Object.entries(block)) {
    if (!keys || typeof keys !== 'object') {
      satisfied = false;
      continue;
    }
    for (const [key, rawExpected] of Object.entries(keys)) {
      const expected = asStrings(rawExpected);
      const ok = evaluateOne(operator, key, expected, context, variables);
      satisfied &&= ok;
      traces.push({ operator, key, expected, actual: contextValues(context, key), satisfied: ok });
    }
  }
  return { satisfied, traces };
}
