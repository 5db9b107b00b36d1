/** The VPC endpoint a request came through, and its policy. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html */
import { DescribeVpcEndpointsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { VpcEndpointSnapshot } from '../snapshot';
import { MalformedDocumentError, parsePolicyDocument } from './policyDocument';
import type { Reading } from './Reading';

export async function collectVpcEndpoint(ec2: EC2Client, id: string, reading: Reading): Promise<VpcEndpointSnapshot | null> {
  const found = await reading.attempt('vpc-endpoint-policy', 'ec2:DescribeVpcEndpoints', id, () =>
    ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] })),
  );
  const endpoint = found?.VpcEndpoints?.[0];
  if (!endpoint) return null;
  try {
    return {
      id,
      ...(endpoint.ServiceName ? { serviceName: endpoint.ServiceName } : {}),
      ...(endpoint.VpcEndpointType ? { type: endpoint.VpcEndpointType } : {}),
      policy: endpoint.PolicyDocument ? parsePolicyDocument(endpoint.PolicyDocument, false) : null,
    };
  } catch (error) {
    if (!(error instanceof MalformedDocumentError)) throw error;
    reading.markUnseen('vpc-endpoint-policy', `the endpoint policy could not be read: ${error.message}`);
    return null;
  }
}
