/** Words for traces and explanations, shared by every layer so one thing is always said one way. */
import type { PolicyRef } from '../model/diagnosis';
import type { ConditionTrace } from '../policy/types';

/** Resource policies are named by what they guard: "the bucket policy of acme-reports". */
const GUARDING_KINDS = new Set(['bucket policy', 'key policy', 'VPC endpoint policy']);

export function describePolicy(ref: PolicyRef): string {
  if (!ref.name) return `the ${ref.kind}`;
  if (ref.kind === 'permissions boundary') return `the permissions boundary ${ref.name}`;
  if (GUARDING_KINDS.has(ref.kind)) return `the ${ref.kind} of ${ref.name}`;
  return `${ref.kind} "${ref.name}"`;
}

export function capitalize(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** Without a Sid, the statement's place in the JSON, counted from 0 as the diagnosis and Access Analyzer count it. */
export function describeStatement(sid: string | null, index: number): string {
  return sid ? `statement "${sid}"` : `Statement[${index}] (no Sid)`;
}

function listText(values: string[]): string {
  return values.length === 1 ? (values[0] ?? '') : `one of ${values.join(', ')}`;
}

/** `s3:x-amz-acl is absent (expected bucket-owner-full-control)` */
export function describeCondition(trace: ConditionTrace): string {
  const actual = trace.actual === null ? 'absent' : `"${trace.actual.join(', ')}"`;
  return `${trace.key} is ${actual} (${trace.operator} ${listText(trace.expected)})`;
}

/** For a Deny every condition held; for a near-miss Allow only the failed ones matter. */
export function describeConditions(traces: ConditionTrace[], which: 'satisfied' | 'failed'): string {
  const chosen = traces.filter((t) => (which === 'satisfied' ? t.satisfied : !t.satisfied));
  return chosen.map(describeCondition).join(' and ');
}
