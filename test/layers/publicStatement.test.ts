/**
 * S3's meaning of a public bucket policy statement: an Allow to everyone ("*" or {"AWS": "*"}) that no fixed
 * value of a restricting key (source, VPC, organization, principal…) pins down. The key names are
 * case-insensitive, as every condition key is.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 */
import type { Statement } from '../../lambda';
import { isPublicAllow } from '../../lambda/layers/publicStatement';
import { diagnose, parseEvent } from '../../lambda';
import { ACCOUNT, BUCKET, OTHER_ACCOUNT, partnerUpload } from '../factories';

const allow = (fields: Partial<Statement>): Statement => ({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*', ...fields });

describe('a public statement', () => {
  it.each<[string, Statement, boolean]>([
    ['Principal "*"', allow({ Principal: '*' }), true],
    ['Principal {"AWS": "*"}', allow({ Principal: { AWS: '*' } }), true],
    ['"*" among other AWS principals', allow({ Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, '*'] } }), true],
    ['one account', allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }), false],
    ['a service', allow({ Principal: { Service: 'logging.s3.amazonaws.com' } }), false],
    ['no Principal (an identity policy statement)', allow({}), false],
    ['a Deny to everyone', { ...allow({ Principal: '*' }), Effect: 'Deny' }, false],
    ['everyone, pinned to a source IP', allow({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }), false],
    [
      'everyone, pinned to an organization',
      allow({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }),
      false,
    ],
    [
      'everyone, pinned by a key written in other case',
      allow({ Principal: '*', Condition: { StringEquals: { 'AWS:SOURCEVPCE': 'vpce-1' } } }),
      false,
    ],
    ['everyone, with TLS required only', allow({ Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }), true],
    ['everyone, with an ACL required only', allow({ Principal: '*', Condition: { StringEquals: { 's3:x-amz-acl': 'private' } } }), true],
    // A value that is not fixed, or an operator that does not pin, leaves it public (#22).
    ['an organization by wildcard', allow({ Principal: '*', Condition: { StringLike: { 'aws:PrincipalOrgID': 'o-*' } } }), true],
    [
      'a principal ARN by variable',
      allow({ Principal: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:role/x' } } }),
      true,
    ],
    ['a negated account', allow({ Principal: '*', Condition: { StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } } }), true],
    ['an IfExists account', allow({ Principal: '*', Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': ACCOUNT } } }), true],
    ['a Null condition on the organization', allow({ Principal: '*', Condition: { Null: { 'aws:PrincipalOrgID': 'false' } } }), true],
    ['a source IP of everything', allow({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }), true],
    ['a userid with a wildcard', allow({ Principal: '*', Condition: { StringLike: { 'aws:userid': '*:alice' } } }), true],
    [
      'a role’s sessions by userid (AROLEID:*)',
      allow({ Principal: '*', Condition: { StringLike: { 'aws:userid': 'AROAEXAMPLE:*' } } }),
      false,
    ],
    ['a fixed account by StringLike', allow({ Principal: '*', Condition: { StringLike: { 'aws:PrincipalAccount': ACCOUNT } } }), false],
    [
      'a fixed KMS key id',
      allow({
        Principal: '*',
        Condition: { StringEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-west-2:1:key/k' } },
      }),
      false,
    ],
  ])('%s', (_name, statement, isPublic) => {
    expect(isPublicAllow(statement)).toBe(isPublic);
  });
});

describe('a policy public by an IfExists condition', () => {
  it('is refused by RestrictPublicBuckets for a caller of another account, not taken as allowing', () => {
    const { record, account } = partnerUpload();
    account.bucket.policy = {
      Version: '2012-10-17',
      Statement: [
        allow({
          Principal: '*',
          Resource: `arn:aws:s3:::${BUCKET}/*`,
          Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': OTHER_ACCOUNT } },
        }),
      ],
    };
    const diagnosis = diagnose(parseEvent(record).requests[0]!, account);
    expect(diagnosis.verdict).toBe('setting-blocked');
    expect(diagnosis.decidingLayers[0]?.layer).toBe('block-public-access');
  });
});
