/**
 * Two layers outside the caller and the bucket, each rule from its guide:
 * - a VPC endpoint's policy must also allow a request made through the endpoint; without a policy the
 *   endpoint has the default full-access one; its statements name principals; S3's own calls to KMS do not
 *   pass through the caller's endpoint. https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 * - the AWS managed key for S3 (aws/s3) has a policy AWS writes: any principal of the key's own account,
 *   only through S3, so no other account can use it.
 *   https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
 */
import { diagnose, parseEvent, type Statement } from '../../lambda';
import type { AccountSnapshot, VpcEndpointSnapshot } from '../../lambda/model/snapshot';
import { ACCOUNT, BUCKET, OTHER_ACCOUNT, partnerUpload, policy, ROLE_ARN, roleIdentity, s3Record, snapshot } from '../factories';

const ENDPOINT = 'vpce-0a1b2c3d4e5f60718';
const uploads = (principal: Statement['Principal'] | undefined, resource = `arn:aws:s3:::${BUCKET}/*`): Statement => ({
  Sid: 'Uploads',
  Effect: 'Allow',
  ...(principal === undefined ? {} : { Principal: principal }),
  Action: 's3:PutObject',
  Resource: resource,
});

function throughEndpoint(endpoints: VpcEndpointSnapshot[], record = s3Record({ vpcEndpointId: ENDPOINT })) {
  const diagnosis = diagnose(parseEvent(record).requests[0]!, snapshot({ vpcEndpoints: endpoints }));
  const results = diagnosis.layers.filter((l) => l.layer === 'vpc-endpoint-policy').map((l) => `${l.action} ${l.result}`);
  return { results: results.join(','), verdict: diagnosis.verdict };
}

describe('a VPC endpoint policy', () => {
  const endpoint = (...statements: Statement[]): VpcEndpointSnapshot[] => [
    {
      id: ENDPOINT,
      serviceName: 'com.amazonaws.us-west-2.s3',
      type: 'Gateway',
      policy: statements.length > 0 ? policy(...statements) : null,
    },
  ];
  it.each<[string, VpcEndpointSnapshot[], string, string]>([
    ['none: the default full-access policy', endpoint(), 's3:PutObject allow', 'not-reproduced'],
    ['allowing uploads to the bucket for everyone', endpoint(uploads('*')), 's3:PutObject allow', 'not-reproduced'],
    ['allowing uploads for the role by name', endpoint(uploads({ AWS: ROLE_ARN })), 's3:PutObject allow', 'not-reproduced'],
    [
      'allowing uploads for another role only',
      endpoint(uploads({ AWS: `arn:aws:iam::${ACCOUNT}:role/Other` })),
      's3:PutObject implicit-deny',
      'implicit-deny',
    ],
    [
      'allowing uploads to another bucket only',
      endpoint(uploads('*', 'arn:aws:s3:::another-bucket/*')),
      's3:PutObject implicit-deny',
      'implicit-deny',
    ],
    [
      'with a statement that names no principal: it matches no one',
      endpoint(uploads(undefined)),
      's3:PutObject implicit-deny',
      'implicit-deny',
    ],
    [
      'denying uploads to the bucket',
      endpoint(uploads('*'), {
        Sid: 'NoUploads',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
      }),
      's3:PutObject explicit-deny',
      'explicit-deny',
    ],
    ['not in the snapshot', [], 's3:PutObject not-visible', 'not-reproduced'],
  ])('%s', (_name, endpoints, results, verdict) => {
    expect(throughEndpoint(endpoints)).toEqual({ results, verdict });
  });

  it('does not apply to a request that did not come through an endpoint', () => {
    expect(throughEndpoint(endpoint(uploads('*', 'arn:aws:s3:::another-bucket/*')), s3Record()).results).toBe(
      's3:PutObject not-applicable',
    );
  });
});

describe('the AWS managed key for S3 (aws/s3)', () => {
  const managedKey = (account: string) => ({
    arn: `arn:aws:kms:us-west-2:${account}:key/5e4d3c2b-1a09-48f7-96e5-d4c3b2a19087`,
    accountId: account,
    aliases: ['alias/aws/s3'],
    keyManager: 'AWS' as const,
    keyState: 'Enabled',
    policy: null,
    grants: [],
  });
  const encrypted = { defaultEncryption: { sseAlgorithm: 'aws:kms' as const, bucketKeyEnabled: false } };
  const keyPolicyResult = (account: AccountSnapshot, record: Record<string, unknown>) =>
    diagnose(parseEvent(record).requests[0]!, account)
      .layers.filter((l) => l.layer === 'kms-key-policy')
      .map((l) => `${l.action} ${l.result}`)
      .join(',');

  it('lets any principal of its own account use it through S3', () => {
    const account = snapshot({ kmsKeys: [managedKey(ACCOUNT)] }, encrypted);
    expect(keyPolicyResult(account, s3Record())).toBe('kms:GenerateDataKey allow');
  });

  it('refuses a principal of another account, whatever the bucket policy grants', () => {
    const partner = partnerUpload();
    const account: AccountSnapshot = {
      ...partner.account,
      kmsKeys: [managedKey(ACCOUNT)],
      bucket: { ...partner.account.bucket, ...encrypted },
    };
    const record = s3Record({ userIdentity: roleIdentity(OTHER_ACCOUNT, 'PartnerDelivery', 'deliver-7') });
    expect(keyPolicyResult(account, record)).toBe('kms:GenerateDataKey implicit-deny');
  });
});
