/**
 * Condition keys are case-insensitive (`aws:SourceIp` and `AWS:sourceip` are one key), their values are not.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
 */
import type { ContextValue, RequestContext } from './types';

const lowerCaseIndex = new WeakMap<RequestContext, Map<string, ContextValue>>();

function indexOf(context: RequestContext): Map<string, ContextValue> {
  let index = lowerCaseIndex.get(context);
  if (!index) {
    index = new Map();
    for (const [key, value] of Object.entries(context)) index.set(key.toLowerCase(), value);
    lowerCaseIndex.set(context, index);
  }
  return index;
}

export function lookupContext(context: RequestContext, key: string): ContextValue | undefined {
  return indexOf(context).get(key.toLowerCase());
}

export function contextValues(context: RequestContext, key: string): string[] | null {
  const value = lookupContext(context, key);
  if (value === undefined) return null;
  return Array.isArray(value) ? value : [value];
}
