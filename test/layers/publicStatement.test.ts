/**
 * S3's meaning of a public bucket policy statement: an Allow to everyone ("*" or {"AWS": "*"}) that no fixed
 * value of a restricting key (source, VPC, organization, principal…) pins down. The key names are
 * case-insensitive, as every condition key is.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 */
import type { Statement } from '../../lambda';
import { isPublicAllow } from '../../lambda/layers/publicStatement';
import { ACCOUNT } from '../factories';

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
  ])('%s', (_name, statement, isPublic) => {
    expect(isPublicAllow(statement)).toBe(isPublic);
  });
});
