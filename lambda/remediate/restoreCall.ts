/**
 * The call that puts a document back as it was: the same target, the previous document, or the delete
 * (reset) that leaves none. A plan's rollback is built from the document it replaces; the remediator's own
 * backup from the document it read live just before writing, so a rollback never depends on a plan's word.
 */
import type { PlanStep } from '../model/remediationPlan';

export function restoreCall(step: Pick<PlanStep, 'action' | 'parameters'>, previous: unknown): PlanStep['rollback'] {
  const p = step.parameters;
  const document = previous === null || previous === undefined ? null : JSON.stringify(previous);
  switch (step.action) {
    case 'PutBucketPolicy': {
      const owner = { Bucket: p.Bucket, ExpectedBucketOwner: p.ExpectedBucketOwner };
      return document
        ? { action: 'PutBucketPolicy', parameters: { ...owner, Policy: document } }
        : { action: 'DeleteBucketPolicy', parameters: owner };
    }
    case 'PutRolePolicy':
    case 'PutUserPolicy': {
      const role = step.action === 'PutRolePolicy';
      const who = role ? { RoleName: p.RoleName } : { UserName: p.UserName };
      return document
        ? { action: step.action, parameters: { ...who, PolicyName: p.PolicyName, PolicyDocument: document } }
        : { action: role ? 'DeleteRolePolicy' : 'DeleteUserPolicy', parameters: { ...who, PolicyName: p.PolicyName } };
    }
    case 'PutKeyPolicy':
      // Every key has a key policy: there is always one to put back.
      return { action: 'PutKeyPolicy', parameters: { KeyId: p.KeyId, Policy: document ?? '' } };
    case 'ModifyVpcEndpoint':
      return document
        ? { action: 'ModifyVpcEndpoint', parameters: { VpcEndpointId: p.VpcEndpointId, PolicyDocument: document } }
        : { action: 'ModifyVpcEndpoint', parameters: { VpcEndpointId: p.VpcEndpointId, ResetPolicy: true } };
    default:
      throw new Error(`${step.action} is not a change this service applies`);
  }
}
