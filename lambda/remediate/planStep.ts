/**
 * One policy patch, or every patch of one document, as the AWS call that makes it: the current document with
 * the patches made (every other statement, Sid and condition kept), the hash of the document it replaces, and
 * the call that puts the old one back. Layers this service never writes get a reason instead.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html
 */
import { s3Arn } from '../policy/arns';
import type { PolicyPatch } from '../model/diagnosis';
import type { PlanStep } from '../model/remediationPlan';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import { policyShapeProblem } from '../policy/policyShapeProblem';
import type { PolicyDocument } from '../policy/types';
import { type DocumentEdits, editsOf, PATCH_POLICY_NAME, withEditsMade } from '../model/applyPolicyPatch';
import { documentSha256 } from './documentSha256';
import { restoreCall } from './restoreCall';

export type PlannedStep = { step: PlanStep } | { reason: string };

const NOT_APPLIED: Partial<Record<PolicyPatch['layer'], string>> = {
  scp: 'service control policies belong to the organization: this service never changes them; the plan is for the org admin to apply',
  rcp: 'resource control policies belong to the organization: this service never changes them; the plan is for the org admin to apply',
  'permissions-boundary': 'a permissions boundary is a guardrail its owner sets on purpose: widening it is theirs to decide',
  'session-policy': 'a session policy is passed by the caller when it assumes the role: the caller must pass a wider one',
};

/**
 * The document a step replaces is checked first: a plan never builds on a document it cannot read, and
 * the account it names must be a real one (the contract's `account` is twelve digits).
 */
function step(
  fields: Omit<PlanStep, 'precondition' | 'parameters' | 'rollback'>,
  current: PolicyDocument | null | undefined,
  build: () => Pick<PlanStep, 'parameters' | 'rollback'>,
): PlannedStep {
  const problem = current ? policyShapeProblem(current) : null;
  if (problem) return { reason: `the current policy of ${fields.target} is not a valid IAM policy (${problem}): fix it by hand first` };
  if (!/^\d{12}$/.test(fields.account)) return { reason: `the account that owns ${fields.target} is not known` };
  return { step: { ...fields, ...build(), precondition: { documentSha256: documentSha256(current ?? null) } } };
}

function nameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function identityStep(patch: PolicyPatch, edits: DocumentEdits, snapshot: AccountSnapshot): PlannedStep {
  const principal = snapshot.principal;
  if (!principal.arn || (principal.kind !== 'role' && principal.kind !== 'user')) {
    return { reason: `the caller is a ${principal.kind}, which has no inline policy this service could extend` };
  }
  const policyName = patch.policyName ?? PATCH_POLICY_NAME;
  const current = (principal.policies ?? []).find((p) => p.source === 'inline' && p.name === policyName)?.document ?? null;
  const role = principal.kind === 'role';
  const who = role ? { RoleName: nameOf(principal.arn) } : { UserName: nameOf(principal.arn) };
  const put = role ? 'PutRolePolicy' : 'PutUserPolicy';
  return step({ service: 'iam', action: put, account: principal.accountId, region: null, target: principal.arn }, current, () => {
    const parameters = { ...who, PolicyName: policyName, PolicyDocument: JSON.stringify(withEditsMade(current, edits)) };
    return { parameters, rollback: restoreCall({ action: put, parameters }, current) };
  });
}

function bucketStep(edits: DocumentEdits, request: DeniedRequest, snapshot: AccountSnapshot): PlannedStep {
  const bucket = snapshot.bucket;
  const owner = { Bucket: bucket.name, ExpectedBucketOwner: bucket.accountId };
  const fields = {
    service: 's3' as const,
    action: 'PutBucketPolicy' as const,
    account: bucket.accountId,
    region: bucket.region ?? request.region,
    target: bucket.arn ?? s3Arn(request.partition, bucket.name),
  };
  return step(fields, bucket.policy, () => {
    const parameters = { ...owner, Policy: JSON.stringify(withEditsMade(bucket.policy, edits)) };
    return { parameters, rollback: restoreCall({ action: 'PutBucketPolicy', parameters }, bucket.policy) };
  });
}

function keyStep(patch: PolicyPatch, edits: DocumentEdits, request: DeniedRequest, snapshot: AccountSnapshot): PlannedStep {
  const keys = snapshot.kmsKeys ?? [];
  const key =
    keys.find((k) => k.arn === patch.policyName || (k.aliases ?? []).includes(patch.policyName ?? '')) ??
    (keys.length === 1 ? keys[0] : undefined);
  if (!key?.policy) return { reason: 'the key policy to extend is not in the snapshot' };
  if (key.keyManager === 'AWS') return { reason: 'an AWS managed key’s policy cannot be changed: use a customer managed key' };
  const policy = key.policy;
  const fields = {
    service: 'kms' as const,
    action: 'PutKeyPolicy' as const,
    account: key.accountId,
    region: key.arn.split(':')[3] || request.region,
    target: key.arn,
  };
  return step(fields, policy, () => {
    const parameters = { KeyId: key.arn, Policy: JSON.stringify(withEditsMade(policy, edits)) };
    return { parameters, rollback: restoreCall({ action: 'PutKeyPolicy', parameters }, policy) };
  });
}

function endpointStep(patch: PolicyPatch, edits: DocumentEdits, request: DeniedRequest, snapshot: AccountSnapshot): PlannedStep {
  const endpoint = (snapshot.vpcEndpoints ?? []).find((e) => e.id === (patch.policyName ?? request.vpcEndpointId));
  if (!endpoint) return { reason: 'the VPC endpoint is not in the snapshot' };
  const account = request.caller.accountId;
  const fields = {
    service: 'ec2' as const,
    action: 'ModifyVpcEndpoint' as const,
    account,
    region: request.region,
    target: `arn:${request.partition}:ec2:${request.region}:${account}:vpc-endpoint/${endpoint.id}`,
  };
  return step(fields, endpoint.policy, () => {
    const parameters = { VpcEndpointId: endpoint.id, PolicyDocument: JSON.stringify(withEditsMade(endpoint.policy, edits)) };
    return { parameters, rollback: restoreCall({ action: 'ModifyVpcEndpoint', parameters }, endpoint.policy) };
  });
}

/**
 * @param edits one patch, or every patch of one document in order: one step writes the document with them all
 * @example planStep(fix.policyPatch, request, snapshot) // { step: { action: 'PutBucketPolicy', … } }
 */
export function planStep(edits: DocumentEdits, request: DeniedRequest, snapshot: AccountSnapshot): PlannedStep {
  const [patch] = editsOf(edits);
  if (!patch) return { reason: 'there is no policy change to make' };
  const notApplied = NOT_APPLIED[patch.layer];
  if (notApplied) return { reason: notApplied };
  return patch.layer === 'identity-policy'
    ? identityStep(patch, edits, snapshot)
    : patch.layer === 'bucket-policy'
      ? bucketStep(edits, request, snapshot)
      : patch.layer === 'kms-key-policy'
        ? keyStep(patch, edits, request, snapshot)
        : patch.layer === 'vpc-endpoint-policy'
          ? endpointStep(patch, edits, request, snapshot)
          : { reason: `layer ${patch.layer} takes no policy change` };
}
