/**
 * The organization policy a deciding SCP or RCP layer names, found in the snapshot: its level (the
 * diagnosis names the level's target as the policy's account) and the policy itself, so a patch can name it
 * by id, which is what `update-policy` and the what-if take. A level that lacks an Allow is named by its
 * first policy; a Deny only by the policy that holds it.
 */
import type { DecidingLayer } from '../model/diagnosis';
import type { AccountSnapshot, OrgLevel, OrgPolicy } from '../model/snapshot';

export function orgPolicyOf(deciding: DecidingLayer, snapshot: AccountSnapshot): { level: OrgLevel; policy: OrgPolicy } | null {
  const levels = (deciding.layer === 'scp' ? snapshot.organization?.scpLevels : snapshot.organization?.rcpLevels) ?? [];
  const named = (p: OrgPolicy) => (p.name ?? p.id) === deciding.policy?.name;
  for (const level of levels.filter((l) => l.target === deciding.policy?.account)) {
    const policy = level.policies.find(named) ?? (deciding.decision === 'implicit-deny' ? level.policies[0] : undefined);
    if (policy) return { level, policy };
  }
  const level = levels.find((l) => l.policies.some(named));
  const policy = level?.policies.find(named);
  return level && policy ? { level, policy } : null;
}
