/**
 * A proposed change as a person writes it: one policy patch, a list of them, or
 * `{ "policyPatches": [...], "requestChange": { "setHeaders": {...}, "removeHeaders": [...] } }`.
 */
import { z } from 'zod';
import { CONNECTION_KEYS, type PolicyPatch } from '../model/diagnosis';
import { policyShapeProblem } from '../policy/policyShapeProblem';
import { PatchError } from '../model/patchError';
import type { Change } from './whatIf';

const LAYERS = [
  'identity-policy',
  'permissions-boundary',
  'session-policy',
  'scp',
  'rcp',
  'bucket-policy',
  'vpc-endpoint-policy',
  'kms-key-policy',
] as const;

const policyPatch = z.object({
  layer: z.enum(LAYERS),
  policyName: z.string().optional(),
  replaceStatement: z.object({ sid: z.string().optional(), index: z.number().int().min(0) }).optional(),
  Statement: z.array(z.looseObject({ Effect: z.enum(['Allow', 'Deny']) })).min(1),
});
const requestChange = z.object({
  setHeaders: z.record(z.string().regex(/^x-amz-/), z.string()).optional(),
  removeHeaders: z.array(z.string()).optional(),
  setContext: z.partialRecord(z.enum(CONNECTION_KEYS), z.string()).optional(),
});
const onePatch = policyPatch.transform((p) => ({ policyPatches: [p] }));
const patchList = z.array(policyPatch).transform((policyPatches) => ({ policyPatches }));
const fullChange = z
  .strictObject({ policyPatches: z.array(policyPatch).optional(), requestChange: requestChange.optional() })
  .refine(
    (change) => change.policyPatches !== undefined || change.requestChange !== undefined,
    'names neither policyPatches nor requestChange',
  );

/**
 * Each form is told by its shape before it is checked, so a mistake is named in the form meant: a misspelt
 * layer in a lone patch is "layer: Invalid option", not "Unrecognized keys" from the form it is not.
 */
function schemaFor(value: unknown) {
  if (Array.isArray(value)) return patchList;
  if (typeof value === 'object' && value !== null && ('layer' in value || 'Statement' in value)) return onePatch;
  return fullChange;
}

export function parseChange(value: unknown): Change {
  const checked = schemaFor(value).safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new PatchError(`not a patch (${issue ? `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}` : 'unknown shape'})`);
  }
  const { policyPatches, ...rest } = checked.data as {
    policyPatches?: PolicyPatch[];
  } & Change;
  for (const [index, patch] of (policyPatches ?? []).entries()) {
    const problem = policyShapeProblem(patch);
    if (problem) throw new PatchError(`not a patch (patch ${index}: ${problem})`);
  }
  return { ...rest, ...(policyPatches ? { policyPatches } : {}) };
}
