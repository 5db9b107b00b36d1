/** Every policy patch a fix carries: one (`policyPatch`), or several needed together (`policyPatches`). */
import type { Fix, PolicyPatch } from './diagnosis';

/** @example patchesOf(fix).map((p) => p.layer) // ['bucket-policy', 'identity-policy'] */
export function patchesOf(fix: Fix): PolicyPatch[] {
  return fix.policyPatches ?? (fix.policyPatch ? [fix.policyPatch] : []);
}
