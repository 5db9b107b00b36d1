/**
 * IAM wildcard patterns (`*` any run, `?` one character) with policy variables resolved inside them.
 *
 * A value substituted for `${aws:username}` is literal: a user named `a*` does not become a wildcard.
 * `${*}`, `${?}` and `${$}` stand for the literal characters.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */

import { lookupContext } from './context';
import type { RequestContext } from './types';
import { type Wildcard, WildcardPattern } from './wildcard';

const compiledCache = new Map<string, Wildcard>();

const VARIABLE = /\$\{([^}]*)\}/g;
const SPECIAL_VARIABLES = new Map([
  ['*', '*'],
  ['?', '?'],
  ['$', '$'],
]);

/** A variable's value, its `, 'default'`, or undefined when the request does not carry the key. */
function resolveVariable(body: string, context: RequestContext): string | undefined {
  const special = SPECIAL_VARIABLES.get(body.trim());
  if (special !== undefined) return special;
  const [rawKey = '', ...rest] = body.split(',');
  const value = lookupContext(context, rawKey.trim());
  if (value !== undefined) return Array.isArray(value) ? value[0] : value;
  const fallback = rest
    .join(',')
    .trim()
    .match(/^'(.*)'$/);
  return fallback?.[1];
}

export interface PatternOptions {
  caseInsensitive: boolean;
  /** Policy variables exist only in policies of version 2012-10-17. */
  variables: boolean;
  wildcards: boolean;
}

/**
 * Compiles a policy pattern for this request, or returns null when it names a variable the request
 * lacks: such an element matches nothing.
 *
 * @example compilePattern('arn:aws:s3:::b/${aws:username}/*', ctx, { caseInsensitive: false, variables: true, wildcards: true })
 */
export function compilePattern(pattern: string, context: RequestContext, options: PatternOptions): Wildcard | null {
  if (options.variables && pattern.includes('${')) return compileWithVariables(pattern, context, options);
  // The key holds every option the compiled pattern depends on; without variables it is the same for any request.
  const key = `${options.caseInsensitive ? 'i' : 's'}${options.wildcards ? 'w' : 'l'}${pattern}`;
  let compiled = compiledCache.get(key);
  // Stryker disable next-line ConditionalExpression: compiling again when cached gives the same pattern (equivalent).
  if (!compiled) {
    compiled = WildcardPattern.of([{ text: pattern, wildcards: options.wildcards }], options.caseInsensitive);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the bound only caps memory (equivalent).
    if (compiledCache.size > 10_000) compiledCache.clear();
    compiledCache.set(key, compiled);
  }
  return compiled;
}

/** Variables resolved for this request: their values are literal text, never wildcards. */
function compileWithVariables(pattern: string, context: RequestContext, options: PatternOptions): Wildcard | null {
  const parts: { text: string; wildcards: boolean }[] = [];
  let last = 0;
  for (const match of pattern.matchAll(VARIABLE)) {
    const value = resolveVariable(match[1] ?? '', context);
    if (value === undefined) return null;
    parts.push({ text: pattern.slice(last, match.index), wildcards: options.wildcards }, { text: value, wildcards: false });
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push({ text: pattern.slice(last), wildcards: options.wildcards });
  return WildcardPattern.of(parts, options.caseInsensitive);
}

export function matchesPattern(pattern: string, value: string, context: RequestContext, options: PatternOptions): boolean {
  return compilePattern(pattern, context, options)?.test(value) ?? false;
}

/** Resolves variables in a literal value (StringEquals and friends), or undefined when one is missing. */
export function resolveVariables(text: string, context: RequestContext, variables: boolean): string | undefined {
  // Stryker disable next-line StringLiteral: a fast path; replacing in a text without variables changes nothing (equivalent).
  if (!variables || !text.includes('${')) return text;
  let missing = false;
  const resolved = text.replace(VARIABLE, (_, body: string) => {
    const value = resolveVariable(body, context);
    if (value === undefined) missing = true;
    // Stryker disable next-line StringLiteral: the text is discarded once a variable is missing (equivalent).
    return value ?? '';
  });
  return missing ? undefined : resolved;
}
