/**
 * The VPC endpoint a request came through, and its policy. The EC2 client is half the diagnoser's bundle:
 * it is loaded only when a record names an endpoint, never at the function's start (awsClients loads the
 * client itself the same way).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { VpcEndpointSnapshot } from '../model/snapshot';
import type { Reading } from './Reading';
import { runtimeEc2 } from './runtimeEc2';

export async function collectVpcEndpoint(ec2: EC2Client, id: string, reading: Reading): Promise<VpcEndpointSnapshot | null> {
  const found = await reading.attempt('vpc-endpoint-policy', 'ec2:DescribeVpcEndpoints', id, async () => {
    const { DescribeVpcEndpointsCommand } = runtimeEc2();
    return ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }));
  });
  const endpoint = found?.VpcEndpoints?.[0];
  if (!endpoint) return null;
  const policy = endpoint.PolicyDocument
    ? reading.document('vpc-endpoint-policy', 'the endpoint policy', endpoint.PolicyDocument, false)
    : null;
  if (endpoint.PolicyDocument && !policy) return null;
  return {
    id,
    ...(endpoint.VpcId ? { vpcId: endpoint.VpcId } : {}),
    ...(endpoint.ServiceName ? { serviceName: endpoint.ServiceName } : {}),
    ...(endpoint.VpcEndpointType ? { type: endpoint.VpcEndpointType } : {}),
    policy,
  };
}
