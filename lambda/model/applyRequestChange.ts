/** The upload retried with other headers: the request rebuilt as if the uploader had sent them. */
import type { RequestChange } from './diagnosis';
import type { DeniedRequest } from './request';

const ACL_HEADER = /^x-amz-(acl|grant-.+)$/;

export function applyRequestChange(request: DeniedRequest, change: RequestChange): DeniedRequest {
  const headers = { ...request.headers, ...(change.setHeaders ?? {}) };
  for (const header of change.removeHeaders ?? []) delete headers[header];
  const context = Object.fromEntries(Object.entries(request.context).filter(([key]) => !key.startsWith('s3:x-amz-')));
  for (const [header, value] of Object.entries(headers)) context[`s3:${header}`] = value;
  for (const [key, value] of Object.entries(change.setContext ?? {})) if (value !== undefined) context[key] = value;
  const kmsKeyId = headers['x-amz-server-side-encryption-aws-kms-key-id'] ?? (request.service === 'kms' ? request.kmsKeyId : null);
  const endpoint = change.setContext?.['aws:SourceVpce'];
  // Through a VPC endpoint a request carries no aws:SourceIp, and its endpoint's policy must allow it too.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip
  if (endpoint) delete context['aws:SourceIp'];
  const sourceIp = endpoint ? null : (change.setContext?.['aws:SourceIp'] ?? request.sourceIp);
  const vpcEndpointId = endpoint ?? request.vpcEndpointId;
  const sentAclHeaders = Object.keys(headers).some((h) => ACL_HEADER.test(h));
  return { ...request, headers, context, kmsKeyId, sourceIp, vpcEndpointId, sentAclHeaders };
}
