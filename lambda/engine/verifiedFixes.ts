/**
 * No fix is offered on faith: each one is replayed on the snapshot (its policy patches applied, its request
 * change sent) and the request diagnosed again. A fix that still leaves the request denied takes on what the
 * changed request still lacks — the partner's grant once the uploader sends the header — until the changes
 * together let it through; they are then one fix, since none of them works alone. A fix the replay cannot
 * confirm says "Unverified" in its summary.
 */
import type { Fix, LayerName, PolicyPatch, RequestChange, Verdict } from '../model/diagnosis';
import { mergedPatches } from '../model/mergedPatches';
import { patchCommand } from '../fixes/patchCommand';
import { patchesOf } from '../model/patchesOf';
import { applyPolicyPatch, patchesByDocument } from '../model/applyPolicyPatch';
import { applyRequestChange } from '../model/applyRequestChange';
import { PatchError } from '../model/patchError';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';

/**
 * The request diagnosed again with the changes made: its verdict, and on demand why and what it still lacks.
 * `onlyPatched`: the layers whose documents were patched, when the request itself is unchanged; null otherwise.
 */
export type Replay = (
  request: DeniedRequest,
  snapshot: AccountSnapshot,
  onlyPatched: ReadonlySet<LayerName> | null,
) => {
  verdict: Verdict;
  summary: () => string;
  fixes: () => Fix[];
  /** With the request allowed: what was not visible and could still deny it. */
  couldStillDeny: () => string[];
};

/** How many changes one fix may gather before the replay gives up on it. */
const MOST_CHANGES = 4;

function changes(fix: Fix): boolean {
  return patchesOf(fix).length > 0 || fix.requestChange !== undefined;
}

function mergedRequestChange(parts: Fix[]): RequestChange | undefined {
  const all = parts.flatMap((p) => (p.requestChange ? [p.requestChange] : []));
  if (all.length === 0) return undefined;
  const setHeaders = Object.assign({}, ...all.map((c) => c.setHeaders ?? {})) as Record<string, string>;
  const removeHeaders = [...new Set(all.flatMap((c) => c.removeHeaders ?? []))];
  const setContext = Object.assign({}, ...all.map((c) => c.setContext ?? {})) as NonNullable<RequestChange['setContext']>;
  return {
    ...(Object.keys(setHeaders).length > 0 ? { setHeaders } : {}),
    ...(removeHeaders.length > 0 ? { removeHeaders } : {}),
    ...(Object.keys(setContext).length > 0 ? { setContext } : {}),
  };
}

/** The verdict with every part's change made, or why the changes cannot be made to this snapshot. */
function replay(parts: Fix[], request: DeniedRequest, snapshot: AccountSnapshot, diagnoseAgain: Replay) {
  const requestChange = mergedRequestChange(parts);
  const changedRequest = requestChange ? applyRequestChange(request, requestChange) : request;
  const patches = parts.flatMap(patchesOf);
  try {
    const patched = patches.reduce(applyPolicyPatch, snapshot);
    return diagnoseAgain(changedRequest, patched, requestChange ? null : new Set(patches.map((p) => p.layer)));
  } catch (error) {
    if (error instanceof PatchError) return { verdict: null, summary: () => error.message, fixes: () => [], couldStillDeny: () => [] };
    throw error;
  }
}

/**
 * Several changes needed together, as one fix: each part's words, and one command per document to write (two
 * changes to the same policy are one write of both, or the second would undo the first), in the order to make
 * them, each marked with who runs it.
 */
function together(parts: Fix[], request: DeniedRequest, snapshot: AccountSnapshot): Fix {
  const [first] = parts as [Fix, ...Fix[]];
  if (parts.length === 1) return first;
  const patches = mergedPatches(parts.flatMap(patchesOf));
  const requestChange = mergedRequestChange(parts);
  const ownerOf = (patch: PolicyPatch) =>
    parts.find((p) => patchesOf(p).some((q) => q.layer === patch.layer && q.policyName === patch.policyName)) ?? first;
  const mark = (part: Fix) => `# ${part.owner}${part.account ? `, in account ${part.account}` : ''}`;
  const commands = [
    ...parts.filter((p) => p.command && patchesOf(p).length === 0).map((p) => `${mark(p)}\n${p.command}`),
    ...patchesByDocument(snapshot, patches).flatMap((edits) => {
      const command = patchCommand(edits, request, snapshot);
      return command && edits[0] ? [`${mark(ownerOf(edits[0]))}\n${command}`] : [];
    }),
  ];
  return {
    summary: `${parts.length} changes, needed together: ${parts.map((p, i) => `(${i + 1}) ${p.summary}`).join(' ')}`,
    owner: first.owner,
    ...(first.account ? { account: first.account } : {}),
    ...(commands.length > 0 ? { command: commands.join('\n') } : {}),
    ...(patches.length === 1 ? { policyPatch: patches[0] } : patches.length > 1 ? { policyPatches: patches } : {}),
    ...(requestChange ? { requestChange } : {}),
  };
}

/** A fix proved on every layer that could be seen, and what was not seen that could still deny the request. */
function provedAsFar(fix: Fix, unseen: string[]): Fix {
  if (unseen.length === 0) return fix;
  return {
    ...fix,
    summary: `${fix.summary} (Proved on every layer that could be read; not read, and able to deny it still: ${unseen.join(', ')}.)`,
  };
}

function unverified(fix: Fix, why: string): Fix {
  return { ...fix, summary: `Unverified: ${fix.summary} (${why})` };
}

interface Checked {
  fix: Fix;
  /** The fixes it is made of, by summary: one, or the several needed together. */
  parts: string[];
}

function verify(fix: Fix, request: DeniedRequest, snapshot: AccountSnapshot, diagnoseAgain: Replay): Checked {
  const alone = (why: string): Checked => ({ fix: unverified(fix, why), parts: [fix.summary] });
  if (!changes(fix)) return alone('the what-if cannot replay this change');
  const parts = [fix];
  while (parts.length <= MOST_CHANGES) {
    const after = replay(parts, request, snapshot, diagnoseAgain);
    if (after.verdict === 'not-reproduced') {
      return { fix: provedAsFar(together(parts, request, snapshot), after.couldStillDeny()), parts: parts.map((p) => p.summary) };
    }
    if (after.verdict === null) return alone(`the what-if cannot apply it: ${after.summary()}`);
    const known = new Set(parts.map((p) => p.summary));
    const next = after.fixes().find((f) => changes(f) && !known.has(f.summary));
    if (!next) return alone(`with it the request is still denied: ${after.summary()}`);
    parts.push(next);
  }
  return alone(`the request is still denied after ${MOST_CHANGES} changes`);
}

/**
 * @example verifiedFixes(diagnosis.fixes, request, snapshot, replay)
 * A combination is dropped when it only adds to a fix already offered, or repeats one in another order.
 */
export function verifiedFixes(fixes: Fix[], request: DeniedRequest, snapshot: AccountSnapshot, diagnoseAgain: Replay): Fix[] {
  const offered: Checked[] = [];
  for (const fix of fixes) {
    const checked = verify(fix, request, snapshot, diagnoseAgain);
    const key = [...checked.parts].sort().join('\n');
    const redundant = offered.some(
      (o) =>
        [...o.parts].sort().join('\n') === key ||
        (o.parts.length === 1 && checked.parts.length > 1 && checked.parts.includes(o.parts[0] ?? '')),
    );
    if (!redundant) offered.push(checked);
  }
  return offered.map((o) => o.fix);
}
