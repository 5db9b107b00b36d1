/**
 * The snapshot as it would be once a plan's steps are written: each step's complete new document put in
 * place of the one it replaces. Written from the plan alone (not from the what-if the plan was proved
 * with), so a test can check the plan's claims independently.
 */
import type { RemediationPlan } from '../../lambda/model/remediationPlan';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import type { PolicyDocument } from '../../lambda/policy/types';

export function snapshotAfter(plan: RemediationPlan, before: AccountSnapshot): AccountSnapshot {
  let after: AccountSnapshot = structuredClone(before);
  for (const step of plan.steps) {
    const p = step.parameters as Record<string, string>;
    const document = JSON.parse(p.Policy ?? p.PolicyDocument ?? 'null') as PolicyDocument;
    switch (step.action) {
      case 'PutBucketPolicy':
        after = { ...after, bucket: { ...after.bucket, policy: document } };
        break;
      case 'PutRolePolicy':
      case 'PutUserPolicy': {
        const others = (after.principal.policies ?? []).filter((x) => !(x.source === 'inline' && x.name === p.PolicyName));
        after = { ...after, principal: { ...after.principal, policies: [...others, { source: 'inline', name: p.PolicyName!, document }] } };
        break;
      }
      case 'PutKeyPolicy':
        after = { ...after, kmsKeys: (after.kmsKeys ?? []).map((key) => (key.arn === step.target ? { ...key, policy: document } : key)) };
        break;
      case 'ModifyVpcEndpoint':
        after = {
          ...after,
          vpcEndpoints: (after.vpcEndpoints ?? []).map((endpoint) =>
            endpoint.id === p.VpcEndpointId ? { ...endpoint, policy: document } : endpoint,
          ),
        };
        break;
      default:
        throw new Error(`no snapshot change for ${step.action}`);
    }
  }
  return after;
}
