/**
 * SCPs and RCPs: a Deny at any level wins, and every level of the hierarchy (root, each OU, the account)
 * must have some policy that allows.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 */
import type { LayerName } from '../model/diagnosis';
import type { OrgLevel } from '../model/snapshot';
import { evaluateDocuments } from './evaluateDocuments';
import { reworded } from './outcomes';
import type { LayerInput, LayerOutcome } from './types';

export function evaluateOrgLevels(layer: Extract<LayerName, 'scp' | 'rcp'>, levels: OrgLevel[], input: LayerInput): LayerOutcome {
  const kind = layer === 'scp' ? 'service control policy' : 'resource control policy';
  const perLevel = levels.map((level) => {
    const documents = level.policies.map((p) => ({
      ref: { kind, name: p.name ?? p.id ?? 'unnamed', account: level.target },
      document: p.document,
    }));
    return evaluateDocuments(layer, documents, input, {
      principalRequired: layer === 'rcp',
      subject: `the ${kind === 'service control policy' ? 'SCPs' : 'RCPs'} attached to ${level.target}`,
    });
  });
  const denied = perLevel.find((o) => o.result === 'explicit-deny');
  if (denied) return denied;
  const missing = perLevel.findIndex((o) => o.result !== 'allow');
  const missed = perLevel[missing];
  const level = levels[missing];
  if (missed && level) {
    // The level is named even when no statement in it came close: its policy is where a grant would go.
    const first = level.policies[0];
    const named = missed.policy ?? (first ? { kind, name: first.name ?? first.id ?? 'unnamed', account: level.target } : null);
    return reworded(
      { ...missed, policy: named },
      `no ${kind} at ${level.target} allows it`,
      `Every level of the organization must allow ${input.authorization.action}. ${missed.explanation ?? ''}`.trim(),
    );
  }
  const first = perLevel[0] as LayerOutcome;
  const allowed = `allowed at every level (${levels.map((l) => l.target).join(', ')})`;
  return reworded(first, allowed, first.explanation, perLevel.find((o) => o.unrecorded)?.unrecorded ?? null);
}
