/**
 * A request through a VPC endpoint must also be allowed by the endpoint's policy; an endpoint without a
 * policy has the default full-access one. Denials here come back as a bare "Access Denied".
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 */
import { evaluateDocuments } from './evaluateDocuments';
import { allowed, notApplicable, notVisible, unseenReason } from './outcomes';
import type { LayerCheck } from './types';

export const vpcEndpointPolicy: LayerCheck = (input) => {
  const endpointId = input.request.vpcEndpointId;
  if (!endpointId) return notApplicable('vpc-endpoint-policy', input, 'the request did not come through a VPC endpoint');
  if (input.authorization.service !== 's3') {
    return notApplicable('vpc-endpoint-policy', input, 'S3 calls KMS itself, not through the endpoint');
  }
  const reason = unseenReason(input, 'vpc-endpoint-policy');
  if (reason) return notVisible('vpc-endpoint-policy', input, reason);
  const endpoint = input.snapshot.vpcEndpoints?.find((e) => e.id === endpointId);
  if (!endpoint) return notVisible('vpc-endpoint-policy', input, `endpoint ${endpointId} is not in the snapshot`);
  if (!endpoint.policy) return allowed('vpc-endpoint-policy', input, `${endpointId} has the default full-access policy`);
  return evaluateDocuments(
    'vpc-endpoint-policy',
    [{ ref: { kind: 'VPC endpoint policy', name: endpointId }, document: endpoint.policy }],
    input,
    { principalRequired: true, subject: `the policy of VPC endpoint ${endpointId}` },
  );
};
