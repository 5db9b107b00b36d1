/**
 * A proposed change merged into a copy of the snapshot: the patch's statements are appended to the named
 * policy of one layer. Appending is the only operation, so a patch can add grants but never remove a Deny.
 */
import type { PolicyPatch } from '../model/diagnosis';
import { statementsOf } from '../policy/evaluatePolicy';
import type { PolicyDocument, Statement } from '../policy/types';
import type { AccountSnapshot } from '../model/snapshot';
import { PatchError } from './errors';

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

/**
 * The whole document with the patch's statements appended: every existing statement kept as it is. The
 * what-if evaluates exactly the document a remediation plan would write.
 */
export function withPatchAppended(document: PolicyDocument | null | undefined, patch: PolicyPatch): PolicyDocument {
  const existing = document ? statementsOf(document) : [];
  return {
    Version: document?.Version ?? '2012-10-17',
    ...(document?.Id ? { Id: document.Id } : {}),
    Statement: [...existing, ...withUniqueSids(existing, patch.Statement)],
  };
}

function byName<T extends { name?: string; id?: string; arn?: string }>(items: T[], name: string | undefined, what: string): T {
  const found = name === undefined && items.length === 1 ? items[0] : items.find((i) => i.name === name || i.id === name || i.arn === name);
  if (!found) throw new PatchError(`${what} ${name ?? '(unnamed)'} is not in the snapshot`);
  return found;
}

/** @example applyPolicyPatch(snapshot, diagnosis.fixes[0].policyPatch) */
export function applyPolicyPatch(snapshot: AccountSnapshot, patch: PolicyPatch): AccountSnapshot {
  const next = structuredClone(snapshot);
  switch (patch.layer) {
    case 'identity-policy': {
      const policies = next.principal.policies ?? [];
      const existing = policies.find((p) => p.name === patch.policyName && p.source === 'inline');
      if (existing) existing.document = withPatchAppended(existing.document, patch);
      else policies.push({ source: 'inline', name: patch.policyName ?? PATCH_POLICY_NAME, document: withPatchAppended(null, patch) });
      next.principal.policies = policies;
      return next;
    }
    case 'permissions-boundary': {
      const boundary = next.principal.permissionsBoundary;
      if (!boundary) throw new PatchError('the principal has no permissions boundary to extend');
      boundary.document = withPatchAppended(boundary.document, patch);
      return next;
    }
    case 'session-policy': {
      const policy = byName(next.session?.policies ?? [], patch.policyName, 'session policy');
      policy.document = withPatchAppended(policy.document, patch);
      return next;
    }
    case 'bucket-policy':
      next.bucket.policy = withPatchAppended(next.bucket.policy, patch);
      return next;
    case 'vpc-endpoint-policy': {
      const endpoint = byName(next.vpcEndpoints ?? [], patch.policyName, 'VPC endpoint');
      endpoint.policy = withPatchAppended(endpoint.policy, patch);
      return next;
    }
    case 'kms-key-policy': {
      const keys = next.kmsKeys ?? [];
      const key =
        patch.policyName === undefined && keys.length === 1
          ? keys[0]
          : keys.find((k) => k.arn === patch.policyName || (k.aliases ?? []).includes(patch.policyName ?? ''));
      if (!key) throw new PatchError(`KMS key ${patch.policyName ?? '(unnamed)'} is not in the snapshot`);
      key.policy = withPatchAppended(key.policy, patch);
      return next;
    }
    case 'scp':
    case 'rcp': {
      const levels = (patch.layer === 'scp' ? next.organization?.scpLevels : next.organization?.rcpLevels) ?? [];
      const policies = levels.flatMap((level) => level.policies.filter((p) => p.name === patch.policyName || p.id === patch.policyName));
      if (policies.length === 0)
        throw new PatchError(`${patch.layer.toUpperCase()} ${patch.policyName ?? '(unnamed)'} is not in the snapshot`);
      for (const policy of policies) policy.document = withPatchAppended(policy.document, patch);
      return next;
    }
    default:
      throw new PatchError(`layer ${patch.layer} takes no policy patch`);
  }
}
