/**
 * A proposed change merged into a copy of the snapshot: the patch's statements are appended to the named
 * policy of one layer, or — with `replaceStatement` — its one statement takes the place of the statement
 * named by Sid or index (to add the caller to a Deny's exemption). The what-if, the fix's command and the
 * remediation plan all write the document `patchedDocument` returns, so what was proved is what is written.
 */
import type { PolicyPatch } from './diagnosis';
import { statementsOf } from '../policy/evaluatePolicy';
import type { PolicyDocument, Statement } from '../policy/types';
import type { AccountSnapshot } from './snapshot';
import { PatchError } from './patchError';

/** The inline policy an identity patch without a policy name goes to, in the what-if and in the plan alike. */
export const PATCH_POLICY_NAME = 'why-denied-patch';

/** The Sids already in the document stay unique: a patch Sid that clashes gets a number. */
function withUniqueSids(existing: Statement[], added: PolicyPatch['Statement']): PolicyPatch['Statement'] {
  const taken = new Set(existing.map((s) => s.Sid).filter((sid): sid is string => typeof sid === 'string'));
  return added.map((statement) => {
    if (!statement.Sid || !taken.has(statement.Sid)) {
      if (statement.Sid) taken.add(statement.Sid);
      return statement;
    }
    let n = 2;
    while (taken.has(`${statement.Sid}${n}`)) n += 1;
    taken.add(`${statement.Sid}${n}`);
    return { ...statement, Sid: `${statement.Sid}${n}` };
  });
}

/** Where the statement to replace stands; its Sid must still be the one the patch names. */
function replacedIndex(existing: Statement[], target: NonNullable<PolicyPatch['replaceStatement']>): number {
  const bySid = target.sid ? existing.findIndex((s) => s.Sid === target.sid) : -1;
  const index = bySid >= 0 ? bySid : target.index;
  const found = existing[index];
  if (!found || (target.sid !== undefined && found.Sid !== target.sid)) {
    throw new PatchError(
      `the statement to replace (${target.sid ? `Sid "${target.sid}"` : `Statement[${target.index}]`}) is not in the policy`,
    );
  }
  return index;
}

/**
 * The whole document with the patch applied: every other statement kept as it is, in its place. The
 * what-if evaluates exactly the document a remediation plan would write.
 */
export function withPatchAppended(document: PolicyDocument | null | undefined, patch: PolicyPatch): PolicyDocument {
  const existing = document ? statementsOf(document) : [];
  const head = { Version: document?.Version ?? '2012-10-17', ...(document?.Id ? { Id: document.Id } : {}) };
  if (!patch.replaceStatement) return { ...head, Statement: [...existing, ...withUniqueSids(existing, patch.Statement)] };
  const index = replacedIndex(existing, patch.replaceStatement);
  if (patch.Statement.length !== 1) throw new PatchError('a patch that replaces a statement carries exactly one statement');
  return { ...head, Statement: existing.map((statement, i) => (i === index ? (patch.Statement[0] as Statement) : statement)) };
}

function byName<T extends { name?: string; id?: string; arn?: string }>(items: T[], name: string | undefined, what: string): T {
  const found = name === undefined && items.length === 1 ? items[0] : items.find((i) => i.name === name || i.id === name || i.arn === name);
  if (!found) throw new PatchError(`${what} ${name ?? '(unnamed)'} is not in the snapshot`);
  return found;
}

/**
 * Where a patch's document lives in the snapshot: what it holds now, and a new snapshot with it replaced.
 * The new snapshot shares everything it does not change (no deep copy), so the engine's per-document caches
 * still hold for every other policy.
 */
interface Location {
  /** Which document it is: the same for every patch that writes it, however the patch names it. */
  document: string;
  current: PolicyDocument | null;
  write: (document: PolicyDocument) => AccountSnapshot;
}

function replaced<T>(items: readonly T[], target: T, next: T): T[] {
  return items.map((item) => (item === target ? next : item));
}

function locate(snapshot: AccountSnapshot, patch: PolicyPatch): Location {
  const { principal } = snapshot;
  switch (patch.layer) {
    case 'identity-policy': {
      const policies = principal.policies ?? [];
      const name = patch.policyName ?? PATCH_POLICY_NAME;
      // A statement is edited where it stands, in any of the caller's policies named as the diagnosis names
      // it; a grant goes to an inline policy of its own.
      const holder = patch.replaceStatement
        ? policies.find((p) => (p.group ? `${p.group}/${p.name}` : p.name) === patch.policyName || p.arn === patch.policyName)
        : policies.find((p) => p.name === name && p.source === 'inline');
      if (!holder && patch.replaceStatement)
        throw new PatchError(`identity policy ${patch.policyName ?? '(unnamed)'} is not in the snapshot`);
      const withPolicies = (next: typeof policies) => ({ ...snapshot, principal: { ...principal, policies: next } });
      return holder
        ? {
            document: `identity-policy ${holder.arn ?? `${holder.source} ${holder.group ?? ''}/${holder.name ?? ''}`}`,
            current: holder.document,
            write: (document) => withPolicies(replaced(policies, holder, { ...holder, document })),
          }
        : {
            document: `identity-policy inline /${name}`,
            current: null,
            write: (document) => withPolicies([...policies, { source: 'inline', name, document }]),
          };
    }
    case 'permissions-boundary': {
      const boundary = principal.permissionsBoundary;
      if (!boundary) throw new PatchError('the principal has no permissions boundary to extend');
      return {
        document: 'permissions-boundary',
        current: boundary.document,
        write: (document) => ({ ...snapshot, principal: { ...principal, permissionsBoundary: { ...boundary, document } } }),
      };
    }
    case 'session-policy': {
      const session = snapshot.session;
      const policies = session?.policies ?? [];
      const policy = byName(policies, patch.policyName, 'session policy');
      return {
        document: `session-policy ${policies.indexOf(policy)}`,
        current: policy.document,
        write: (document) => ({
          ...snapshot,
          session: session && { ...session, policies: replaced(policies, policy, { ...policy, document }) },
        }),
      };
    }
    case 'bucket-policy':
      return {
        document: 'bucket-policy',
        current: snapshot.bucket.policy ?? null,
        write: (document) => ({ ...snapshot, bucket: { ...snapshot.bucket, policy: document } }),
      };
    case 'vpc-endpoint-policy': {
      const endpoints = snapshot.vpcEndpoints ?? [];
      const endpoint = byName(endpoints, patch.policyName, 'VPC endpoint');
      return {
        document: `vpc-endpoint-policy ${endpoint.id}`,
        current: endpoint.policy ?? null,
        write: (document) => ({ ...snapshot, vpcEndpoints: replaced(endpoints, endpoint, { ...endpoint, policy: document }) }),
      };
    }
    case 'kms-key-policy': {
      const keys = snapshot.kmsKeys ?? [];
      const key =
        patch.policyName === undefined && keys.length === 1
          ? keys[0]
          : keys.find((k) => k.arn === patch.policyName || (k.aliases ?? []).includes(patch.policyName ?? ''));
      if (!key) throw new PatchError(`KMS key ${patch.policyName ?? '(unnamed)'} is not in the snapshot`);
      return {
        document: `kms-key-policy ${key.arn}`,
        current: key.policy ?? null,
        write: (document) => ({ ...snapshot, kmsKeys: replaced(keys, key, { ...key, policy: document }) }),
      };
    }
    case 'scp':
    case 'rcp': {
      const organization = snapshot.organization;
      const field = patch.layer === 'scp' ? 'scpLevels' : 'rcpLevels';
      const levels = organization?.[field] ?? [];
      const named = (p: { name?: string; id?: string }) => p.name === patch.policyName || p.id === patch.policyName;
      const first = levels.flatMap((level) => level.policies).find(named);
      if (!organization || !first)
        throw new PatchError(`${patch.layer.toUpperCase()} ${patch.policyName ?? '(unnamed)'} is not in the snapshot`);
      // One policy attached at several levels is one document: it changes everywhere at once.
      return {
        document: `${patch.layer} ${first.id ?? first.name ?? ''}`,
        current: first.document,
        write: (document) => ({
          ...snapshot,
          organization: {
            ...organization,
            [field]: levels.map((level) => ({ ...level, policies: level.policies.map((p) => (named(p) ? { ...p, document } : p)) })),
          },
        }),
      };
    }
    default:
      throw new PatchError(`layer ${patch.layer} takes no policy patch`);
  }
}

/** One patch, or several of one document in the order they apply: what one write of it carries. */
export type DocumentEdits = PolicyPatch | readonly PolicyPatch[];

export function editsOf(edits: DocumentEdits): readonly PolicyPatch[] {
  return Array.isArray(edits) ? edits : [edits as PolicyPatch];
}

/** The document with every edit made, in order. */
export function withEditsMade(document: PolicyDocument | null | undefined, edits: DocumentEdits): PolicyDocument {
  return editsOf(edits).reduce<PolicyDocument>((edited, patch) => withPatchAppended(edited, patch), document ?? { Statement: [] });
}

/** The complete document the edits would write, built from the snapshot's current one. */
export function patchedDocument(snapshot: AccountSnapshot, edits: DocumentEdits): { before: PolicyDocument | null; after: PolicyDocument } {
  const [first] = editsOf(edits);
  if (!first) throw new PatchError('no patch to apply');
  const { current } = locate(snapshot, first);
  return { before: current, after: withEditsMade(current, edits) };
}

/**
 * The patches grouped by the document they write, each group in the order given: a fix that edits one
 * statement of a policy and adds another to it is one write of the policy with both, since two writes each
 * built from today's document would leave only the second's change.
 */
export function patchesByDocument(snapshot: AccountSnapshot, patches: readonly PolicyPatch[]): PolicyPatch[][] {
  const groups = new Map<string, PolicyPatch[]>();
  patches.forEach((patch, i) => {
    let document: string;
    try {
      document = locate(snapshot, patch).document;
    } catch (error) {
      if (!(error instanceof PatchError)) throw error;
      document = `unlocated ${i}`;
    }
    groups.set(document, [...(groups.get(document) ?? []), patch]);
  });
  return [...groups.values()];
}

/** @example applyPolicyPatch(snapshot, diagnosis.fixes[0].policyPatch) */
export function applyPolicyPatch(snapshot: AccountSnapshot, patch: PolicyPatch): AccountSnapshot {
  const { current, write } = locate(snapshot, patch);
  return write(withPatchAppended(current, patch));
}
