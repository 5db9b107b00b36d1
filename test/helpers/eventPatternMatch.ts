/**
 * EventBridge pattern matching for the operators this project's rules use: exact values, `prefix` and
 * `exists`, nested objects, and a list of rules OR-ed; an array in the event matches if any element does.
 * Any other operator throws, so a rule that grows one cannot be tested by guesswork.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
type Json = unknown;

function matchesRule(rule: Json, value: Json): boolean {
  if (rule === null || typeof rule !== 'object') {
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => v === rule);
  }
  const [operator, argument] = Object.entries(rule as Record<string, Json>)[0] ?? [];
  if (operator === 'exists')
    return argument === true ? value !== undefined && value !== null && typeof value !== 'object' : value === undefined;
  if (operator === 'prefix') {
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => typeof v === 'string' && v.startsWith(String(argument)));
  }
  throw new Error(`pattern operator ${operator} is not supported by this matcher`);
}

export function matchesEventPattern(pattern: Record<string, Json>, event: Record<string, Json> | undefined): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const value = event?.[key];
    if (Array.isArray(rule)) {
      const exists = rule.find((r) => typeof r === 'object' && r !== null && 'exists' in r);
      if (exists && (exists as { exists: boolean }).exists === false) return value === undefined;
      return rule.some((r) => matchesRule(r, value));
    }
    return (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      matchesEventPattern(rule as Record<string, Json>, value as Record<string, Json>)
    );
  });
}
