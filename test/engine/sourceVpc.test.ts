/**
 * aws:SourceVpc: a request through a VPC endpoint carries the endpoint's VPC, which the record does not name and
 * the endpoint's description does. Network-perimeter policies test it ("deny unless from our VPC", usually with
 * …IfExists); left out, such a Deny matched every request through any endpoint.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpc
 */
import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { diagnose, parseEvent, type Statement } from '../../lambda';
import { collectVpcEndpoint } from '../../lambda/collect/collectVpcEndpoint';
import { Reading } from '../../lambda/collect/Reading';
import { TtlCache } from '../../lambda/collect/TtlCache';
import { BUCKET, policy, s3Record, snapshot } from '../factories';
import { aws, fakeClients, resetAws } from '../collect/fakeAccount';

const ENDPOINT = 'vpce-0a1b2c3d4e5f60718';
const NETWORK_PERIMETER: Statement = {
  Sid: 'EnforceNetworkPerimeter',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
  Condition: {
    NotIpAddressIfExists: { 'aws:SourceIp': ['203.0.113.0/24'] },
    StringNotEqualsIfExists: { 'aws:SourceVpc': 'vpc-0ours0000000000' },
    BoolIfExists: { 'aws:ViaAWSService': 'false' },
  },
};
const throughEndpoint = parseEvent(s3Record({ vpcEndpointId: ENDPOINT })).requests[0]!;
const endpointIn = (vpcId: string) =>
  snapshot(
    { vpcEndpoints: [{ id: ENDPOINT, vpcId, serviceName: 'com.amazonaws.us-west-2.s3', type: 'Gateway', policy: null }] },
    {
      policy: policy(NETWORK_PERIMETER),
    },
  );

describe('the VPC a request came from', () => {
  it('is in the request through an endpoint of our VPC, and the network perimeter lets it through', () => {
    const diagnosis = diagnose(throughEndpoint, endpointIn('vpc-0ours0000000000'));
    expect(diagnosis.request.context['aws:SourceVpc']).toBe('vpc-0ours0000000000');
    expect(diagnosis.layers.find((l) => l.layer === 'bucket-policy')?.result).not.toBe('explicit-deny');
  });

  it('denies through an endpoint of another VPC', () => {
    const diagnosis = diagnose(throughEndpoint, endpointIn('vpc-0theirs00000000'));
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'bucket-policy', statement: { sid: 'EnforceNetworkPerimeter' } });
  });

  it('is read from the endpoint’s description', async () => {
    resetAws();
    aws.ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [{ VpcEndpointId: ENDPOINT, VpcId: 'vpc-0ours0000000000' }] });
    const endpoint = await collectVpcEndpoint(await fakeClients().ec2('us-west-2'), ENDPOINT, new Reading(new TtlCache(60_000)));
    expect(endpoint?.vpcId).toBe('vpc-0ours0000000000');
  });
});
