/**
 * The AWS CLI command that writes a policy patch, or every patch of one document: always the complete new
 * document (every statement the policy has today kept, in its place), the same one the what-if proved, so
 * pasting it can neither drop the rest of a policy nor write something other than what was checked. Values
 * attach with `=`, so none that starts with `-` is read as an option.
 */
import { type DocumentEdits, editsOf, patchedDocument, PATCH_POLICY_NAME } from '../model/applyPolicyPatch';
import { PatchError } from '../model/patchError';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import { requiredVariable, shellQuote } from './shellQuote';

function nameOf(arn: string | null | undefined): string | null {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : null;
}

function orValue(value: string | null | undefined, variable: string, what: string): string {
  return value ? shellQuote(value) : requiredVariable(variable, what);
}

/** @example patchCommand(patch, request, snapshot) // "aws s3api put-bucket-policy --bucket=b --policy='{…}'" */
export function patchCommand(edits: DocumentEdits, request: DeniedRequest, snapshot: AccountSnapshot): string | undefined {
  const [patch] = editsOf(edits);
  if (!patch) return undefined;
  let document: string;
  try {
    document = shellQuote(JSON.stringify(patchedDocument(snapshot, edits).after));
  } catch (error) {
    if (error instanceof PatchError) return undefined;
    throw error;
  }
  switch (patch.layer) {
    case 'identity-policy': {
      const policy = shellQuote(patch.policyName ?? PATCH_POLICY_NAME);
      const name = orValue(nameOf(snapshot.principal.arn ?? request.caller.arn), 'NAME', 'the role or user name');
      return snapshot.principal.kind === 'user' || request.caller.type === 'IAMUser'
        ? `aws iam put-user-policy --user-name=${name} --policy-name=${policy} --policy-document=${document}`
        : `aws iam put-role-policy --role-name=${name} --policy-name=${policy} --policy-document=${document}`;
    }
    case 'permissions-boundary': {
      const arn = orValue(snapshot.principal.permissionsBoundary?.arn, 'BOUNDARY_ARN', 'the permissions boundary policy ARN');
      return `aws iam create-policy-version --policy-arn=${arn} --set-as-default --policy-document=${document}`;
    }
    case 'bucket-policy': {
      const bucket = orValue(snapshot.bucket.name || request.bucket, 'BUCKET', 'the bucket name');
      return `aws s3api put-bucket-policy --bucket=${bucket} --expected-bucket-owner=${shellQuote(snapshot.bucket.accountId)} --policy=${document}`;
    }
    case 'vpc-endpoint-policy': {
      const endpoint = orValue(patch.policyName ?? request.vpcEndpointId, 'VPCE_ID', 'the VPC endpoint id');
      return `aws ec2 modify-vpc-endpoint --vpc-endpoint-id=${endpoint} --policy-document=${document}`;
    }
    case 'kms-key-policy':
      return `aws kms put-key-policy --key-id=${orValue(patch.policyName, 'KEY_ARN', 'the KMS key ARN')} --policy-name=default --policy=${document}`;
    case 'scp':
    case 'rcp':
      return `aws organizations update-policy --policy-id=${orValue(patch.policyName, 'POLICY_ID', 'the policy id')} --content=${document}`;
    default:
      return undefined;
  }
}
