/**
 * Patches that add to the same policy, merged into one: two commands (or two plan steps) each writing "the
 * policy with my statement added" from the same starting document would leave only the second's statement,
 * and the second step's precondition would no longer hold once the first was written. An edit of one
 * statement in place stays a patch of its own.
 */
import type { PolicyPatch } from './diagnosis';

/** @example mergedPatches([grantPut, grantPutAcl]) // one bucket-policy patch with both statements */
export function mergedPatches(patches: PolicyPatch[]): PolicyPatch[] {
  const merged: PolicyPatch[] = [];
  for (const patch of patches) {
    const same = patch.replaceStatement
      ? undefined
      : merged.find((m) => !m.replaceStatement && m.layer === patch.layer && m.policyName === patch.policyName);
    if (same) same.Statement = [...same.Statement, ...patch.Statement];
    else merged.push({ ...patch, Statement: [...patch.Statement] });
  }
  return merged;
}
