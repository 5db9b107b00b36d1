/**
 * Calls a VPC endpoint's policy refused (#24), as the endpoint owner's network activity events record them:
 * the documented shape names the caller, the call and the endpoint, never the bucket or key.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html#cloudtrail-network-events
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import 'aws-sdk-client-mock-jest';
import { diagnose, parseEvent, parseSnapshot } from '../../lambda';
import { collectSnapshot } from '../../lambda/collect/collectSnapshot';
import { RateLimiter, oneBudget } from '../../lambda/collect/RateLimiter';
import { TtlCache } from '../../lambda/collect/TtlCache';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import { aws, awsError, fakeClients, resetAws } from '../collect/fakeAccount';
import { OWN_SCENARIOS } from '../helpers/paths';

const SCENARIO = join(OWN_SCENARIOS, 'vpc-endpoint-refused-upload');
const uploadRecord = () => JSON.parse(readFileSync(join(SCENARIO, 'event.json'), 'utf8')) as Record<string, unknown>;
const endpointSnapshot = () => parseSnapshot(JSON.parse(readFileSync(join(SCENARIO, 'snapshot.json'), 'utf8')));
const ENDPOINT = 'vpce-0a1b2c3d4e5f67890';

/** AWS's own example of a refusal, for a caller outside the endpoint owner's account. */
const documentedKmsRefusal = {
  eventVersion: '1.09',
  userIdentity: { type: 'AWSAccount', principalId: 'AKIAIOSFODNN7EXAMPLE', accountId: '777788889999' },
  eventTime: '2024-07-15T23:57:12Z',
  eventSource: 'kms.amazonaws.com',
  eventName: 'ListKeys',
  awsRegion: 'us-east-1',
  sourceIPAddress: '192.0.2.0',
  errorCode: 'VpceAccessDenied',
  errorMessage: 'The request was denied due to a VPC endpoint policy',
  requestID: '899003b8-abc4-42bb-ad95-EXAMPLE0c374',
  eventID: '7c6e3d04-0c3b-42f2-8589-EXAMPLE826c0',
  eventType: 'AwsVpceEvent',
  recipientAccountId: '123456789012',
  sharedEventID: '702f74c4-f692-4bfd-8491-EXAMPLEb1ac4',
  vpcEndpointId: 'vpce-EXAMPLE08c1b6b9b7',
  vpcEndpointAccountId: '123456789012',
  eventCategory: 'NetworkActivity',
};

function withPolicy(statements: unknown[]): AccountSnapshot {
  const snapshot = endpointSnapshot();
  return { ...snapshot, vpcEndpoints: [{ id: ENDPOINT, policy: { Version: '2012-10-17', Statement: statements } as never }] };
}

describe('a call refused at a VPC endpoint, from its network activity event', () => {
  it('is read as a request with no bucket or key, through the endpoint the record names', () => {
    const [request] = parseEvent(uploadRecord()).requests;
    expect(request).toMatchObject({ service: 's3', bucket: null, key: null, vpcEndpointId: ENDPOINT, recipientAccountId: '111122223333' });
    expect(request?.event.errorCode).toBe('VpceAccessDenied');
  });

  it('arrives from EventBridge under the network activity detail type', () => {
    const envelope = { 'detail-type': 'AWS Network Activity Event via CloudTrail', source: 'aws.s3', id: 'e-1', detail: uploadRecord() };
    expect(parseEvent(envelope).requests[0]?.vpcEndpointId).toBe(ENDPOINT);
  });

  it('leaves out AWS’s documented example, a ListKeys call, as no part of an upload, but takes the KMS calls uploads make', () => {
    expect(() => parseEvent(documentedKmsRefusal)).toThrow(/ListKeys is not an S3 write or a KMS call an upload needs/);
    const [request] = parseEvent({ ...documentedKmsRefusal, eventName: 'GenerateDataKey' }).requests;
    const diagnosis = diagnose(request!, {
      ...endpointSnapshot(),
      principal: { arn: null, kind: 'unknown', accountId: '777788889999', tags: null, policies: null, permissionsBoundary: null },
      vpcEndpoints: [],
      unseen: [{ layer: 'vpc-endpoint-policy', reason: 'no read-only role in account 123456789012' }],
    });
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'vpc-endpoint-policy', action: 'kms:GenerateDataKey' });
    expect(diagnosis.decidingLayers[0]?.explanation).toContain('does not log which key the call named');
  });

  it('names the endpoint’s policy and what it lets the caller upload to, with the resource said to be unlogged', () => {
    const [request] = parseEvent(uploadRecord()).requests;
    const diagnosis = diagnose(request!, endpointSnapshot());
    expect(diagnosis.verdict).toBe('implicit-deny');
    expect(diagnosis.confidence).toBe('certain');
    expect(diagnosis.request.resources).toEqual(['(not logged)']);
    expect(diagnosis.decidingLayers[0]).toMatchObject({
      layer: 'vpc-endpoint-policy',
      action: 's3:PutObject',
      policy: { kind: 'VPC endpoint policy', name: ENDPOINT },
      statement: { sid: 'ArtifactsOnly' },
    });
    expect(diagnosis.decidingLayers[0]?.explanation).toContain('only on arn:aws:s3:::acme-artifacts, arn:aws:s3:::acme-artifacts/*');
    expect(diagnosis.fixes[0]).toMatchObject({ owner: 'account-admin', account: '111122223333' });
    expect(diagnosis.fixes[0]?.summary).toContain('add its ARN to statement "ArtifactsOnly"');
  });

  it('names a Deny that refuses the call whatever the resource', () => {
    const [request] = parseEvent(uploadRecord()).requests;
    const diagnosis = diagnose(
      request!,
      withPolicy([
        { Sid: 'All', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
        { Sid: 'NoUploads', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*' },
      ]),
    );
    expect(diagnosis.decidingLayers[0]).toMatchObject({ decision: 'explicit-deny', statement: { sid: 'NoUploads' } });
  });

  it('says so when no statement allows the call for a caller from another account, known by its account alone', () => {
    const record = {
      ...uploadRecord(),
      userIdentity: { type: 'AWSAccount', principalId: 'AKIAIOSFODNN7EXAMPLE', accountId: '777788889999' },
    };
    const [request] = parseEvent(record).requests;
    const diagnosis = diagnose(request!, {
      ...withPolicy([{ Sid: 'OwnAccount', Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 's3:*', Resource: '*' }]),
      principal: { arn: null, kind: 'unknown', accountId: '777788889999', tags: null, policies: null, permissionsBoundary: null },
    });
    expect(diagnosis.decidingLayers[0]?.explanation).toContain(
      'No statement of its policy allows s3:PutObject for arn:aws:iam::777788889999:root',
    );
    expect(diagnosis.fixes[0]?.command).toBe(
      `aws ec2 describe-vpc-endpoints --region us-east-1 --vpc-endpoint-ids ${ENDPOINT} --query 'VpcEndpoints[0].PolicyDocument' --output text`,
    );
  });

  it('says what it could not read when the endpoint’s policy was not seen', () => {
    const [request] = parseEvent(uploadRecord()).requests;
    const diagnosis = diagnose(request!, {
      ...endpointSnapshot(),
      vpcEndpoints: [],
      unseen: [{ layer: 'vpc-endpoint-policy', reason: 'ec2:DescribeVpcEndpoints access denied' }],
    });
    expect(diagnosis.decidingLayers[0]?.explanation).toContain('Its policy could not be read: ec2:DescribeVpcEndpoints access denied.');
    expect(diagnosis.notVisible).toEqual([{ layer: 'vpc-endpoint-policy', reason: 'ec2:DescribeVpcEndpoints access denied' }]);
  });

  it('is evaluated like any request when the record does name its bucket, and agrees with AWS', () => {
    const record = { ...uploadRecord(), requestParameters: { bucketName: 'acme-reports', key: 'daily/2026-11-20.csv' } };
    const [request] = parseEvent(record).requests;
    const snapshot = endpointSnapshot();
    const diagnosis = diagnose(request!, { ...snapshot, bucket: { ...snapshot.bucket, name: 'acme-reports', accountId: '111122223333' } });
    expect(diagnosis.decidingLayers.map((d) => d.layer)).toContain('vpc-endpoint-policy');
    expect(diagnosis.request.resources).toEqual(['arn:aws:s3:::acme-reports/daily/2026-11-20.csv']);
  });
});

describe('collecting for a refusal at an endpoint', () => {
  beforeEach(() => resetAws());

  it('reads only the endpoint, in the account that owns it and received the record', async () => {
    const record = { ...uploadRecord(), userIdentity: { type: 'AWSAccount', principalId: 'AKIAEXAMPLE', accountId: '777788889999' } };
    const [request] = parseEvent(record).requests;
    const clients = fakeClients();
    aws.ec2.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [{ VpcEndpointId: ENDPOINT, PolicyDocument: JSON.stringify(endpointSnapshot().vpcEndpoints?.[0]?.policy) }],
    });
    const asked: string[] = [];
    const { snapshot } = await collectSnapshot(request!, {
      homeAccountId: '111122223333',
      region: 'us-east-1',
      clientsFor: (account) => {
        asked.push(account);
        return account === '111122223333' ? clients : null;
      },
      cache: new TtlCache(60_000),
      lookupBudget: oneBudget(new RateLimiter(2, 2_000)),
      now: () => new Date('2026-11-20T09:15:09Z'),
    });
    expect(asked).toEqual(['111122223333']);
    expect(aws.ec2).toHaveReceivedCommandWith(DescribeVpcEndpointsCommand, { VpcEndpointIds: [ENDPOINT] });
    expect(aws.s3).not.toHaveReceivedCommand(GetBucketPolicyCommand);
    expect(snapshot.vpcEndpoints?.[0]?.policy).toEqual(endpointSnapshot().vpcEndpoints?.[0]?.policy);
    expect(snapshot.unseen).toEqual([]);
  });

  it('lists the endpoint as unseen when its owner refuses the read', async () => {
    const [request] = parseEvent(uploadRecord()).requests;
    const clients = fakeClients();
    aws.ec2.on(DescribeVpcEndpointsCommand).rejects(awsError('UnauthorizedOperation'));
    const { snapshot } = await collectSnapshot(request!, {
      homeAccountId: '111122223333',
      region: 'us-east-1',
      clientsFor: () => clients,
      cache: new TtlCache(60_000),
      lookupBudget: oneBudget(new RateLimiter(2, 2_000)),
      now: () => new Date('2026-11-20T09:15:09Z'),
    });
    expect(snapshot.unseen.map((u) => u.layer)).toEqual(['vpc-endpoint-policy']);
  });
});
