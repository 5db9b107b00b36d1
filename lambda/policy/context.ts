/**
 * Condition keys are case-insensitive (`aws:SourceIp` and `AWS:sourceip` are one key), their values are not.
 * Most policies spell keys as AWS documents them, so the exact key is tried first and the case-insensitive
 * scan only runs for the rest.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
 */
import type { ContextValue, RequestContext } from './types';

export function lookupContext(context: RequestContext, key: string): ContextValue | undefined {
  if (Object.hasOwn(context, key)) return context[key];
  const lower = key.toLowerCase();
  for (const candidate of Object.keys(context)) {
    if (candidate.toLowerCase() === lower) return context[candidate];
  }
  return undefined;
}

export function contextValues(context: RequestContext, key: string): string[] | null {
  const value = lookupContext(context, key);
  if (value === undefined) return null;
  return Array.isArray(value) ? value : [value];
}
