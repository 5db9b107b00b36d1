/**
 * How fixes read wherever they are shown: numbered as `fix plan --fix N` takes them, each with who runs it
 * and in which account, alternatives said to be alternatives (changes needed together are one fix already),
 * and every statement a fix writes labelled as added or as the edit of one in place.
 */
import type { Fix, PolicyPatch } from '../model/diagnosis';

/** @example fixHeading(fix, 0) // 'Fix 0 (bucket-owner, in account 111122223333)' */
export function fixHeading(fix: Fix, index: number): string {
  return `Fix ${index} (${fix.owner}${fix.account ? `, in account ${fix.account}` : ''})`;
}

/** Said once above several fixes: any one of them is enough. */
export function fixesIntro(count: number): string | null {
  return count > 1 ? `${count} fixes, each enough on its own: pick one (why-denied fix plan --fix N).` : null;
}

export function patchLabel(patch: PolicyPatch): string {
  const target = patch.replaceStatement;
  if (!target) return `Statement to add to the ${patch.layer}`;
  const which = target.sid ? `"${target.sid}"` : `Statement[${target.index}]`;
  return `Statement ${which} of the ${patch.layer}, as edited (it replaces the current one)`;
}
