import { evaluateConditions } from '../../lambda/policy/conditions';
import type { RequestContext } from '../../lambda/policy/types';

const context: RequestContext = {
  'aws:SourceIp': '203.0.113.77',
  'aws:username': 'alice',
  'aws:PrincipalTag/team': 'Media',
  'aws:CurrentTime': '2026-11-21T07:12:30Z',
  'aws:EpochTime': '1795245150',
  'aws:SecureTransport': 'true',
  'aws:PrincipalArn': 'arn:aws:iam::555566667777:role/MediaIngest',
  's3:x-amz-acl': 'bucket-owner-full-control',
  's3:max-keys': '50',
  'aws:TagKeys': ['project', 'owner'],
  'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::contoso-media-uploads/incoming/a.mp4',
  'custom:binary': Buffer.from('hello').toString('base64'),
};

type Row = [string, string, string, unknown, boolean];

const rows: Row[] = [
  ['StringEquals matches exactly', 'StringEquals', 's3:x-amz-acl', 'bucket-owner-full-control', true],
  ['StringEquals is case-sensitive', 'StringEquals', 's3:x-amz-acl', 'BUCKET-OWNER-FULL-CONTROL', false],
  ['StringEquals ORs its values', 'StringEquals', 's3:x-amz-acl', ['private', 'bucket-owner-full-control'], true],
  ['StringNotEquals NORs its values', 'StringNotEquals', 's3:x-amz-acl', ['private', 'bucket-owner-full-control'], false],
  ['StringNotEquals holds when no value matches', 'StringNotEquals', 's3:x-amz-acl', ['private', 'public-read'], true],
  ['StringEqualsIgnoreCase ignores case', 'StringEqualsIgnoreCase', 'aws:PrincipalTag/team', 'MEDIA', true],
  ['StringNotEqualsIgnoreCase ignores case', 'StringNotEqualsIgnoreCase', 'aws:PrincipalTag/team', 'media', false],
  ['StringLike takes * wildcards', 'StringLike', 'kms:EncryptionContext:aws:s3:arn', 'arn:aws:s3:::contoso-media-uploads/*', true],
  ['StringLike takes ? wildcards', 'StringLike', 'aws:username', 'al?ce', true],
  ['StringLike does not match another prefix', 'StringLike', 'kms:EncryptionContext:aws:s3:arn', 'arn:aws:s3:::other/*', false],
  ['StringNotLike is the negation', 'StringNotLike', 'aws:username', 'bo*', true],
  ['a condition key is case-insensitive', 'StringEquals', 'AWS:USERNAME', 'alice', true],
  ['StringEquals resolves policy variables', 'StringEquals', 'aws:PrincipalTag/team', '${aws:PrincipalTag/team}', true],
  ['NumericLessThan compares numbers', 'NumericLessThan', 's3:max-keys', '100', true],
  ['NumericLessThan fails on larger', 'NumericLessThan', 's3:max-keys', '10', false],
  ['NumericEquals', 'NumericEquals', 's3:max-keys', '50', true],
  ['NumericNotEquals', 'NumericNotEquals', 's3:max-keys', '50', false],
  ['NumericGreaterThanEquals', 'NumericGreaterThanEquals', 's3:max-keys', '50', true],
  ['Numeric operators refuse non-numbers', 'NumericEquals', 'aws:username', '0', false],
  ['DateLessThan with ISO dates', 'DateLessThan', 'aws:CurrentTime', '2027-01-01T00:00:00Z', true],
  ['DateGreaterThan with ISO dates', 'DateGreaterThan', 'aws:CurrentTime', '2027-01-01T00:00:00Z', false],
  ['Date operators accept epoch seconds', 'DateGreaterThanEquals', 'aws:EpochTime', '1700000000', true],
  ['DateNotEquals', 'DateNotEquals', 'aws:CurrentTime', '2026-11-21T07:12:30Z', false],
  ['Bool true', 'Bool', 'aws:SecureTransport', 'true', true],
  ['Bool takes JSON booleans', 'Bool', 'aws:SecureTransport', true, true],
  ['Bool false does not match true', 'Bool', 'aws:SecureTransport', 'false', false],
  ['BinaryEquals compares base64 bytes', 'BinaryEquals', 'custom:binary', Buffer.from('hello').toString('base64'), true],
  ['IpAddress with an IPv4 CIDR', 'IpAddress', 'aws:SourceIp', '203.0.113.0/24', true],
  ['IpAddress outside the CIDR', 'IpAddress', 'aws:SourceIp', '198.51.100.0/24', false],
  ['IpAddress with a bare address is a /32', 'IpAddress', 'aws:SourceIp', '203.0.113.77', true],
  ['NotIpAddress NORs its CIDRs', 'NotIpAddress', 'aws:SourceIp', ['198.51.100.0/24', '203.0.113.0/24'], false],
  ['ArnLike with wildcards per component', 'ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/Media*', true],
  ['ArnEquals exact', 'ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::555566667777:role/MediaIngest', true],
  ['ArnNotLike negation', 'ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/Admin*', true],
  ['ArnLike rejects a non-ARN', 'ArnLike', 'aws:username', 'arn:aws:iam::*:user/*', false],
  ['Null true: key absent', 'Null', 's3:x-amz-server-side-encryption', 'true', true],
  ['Null true: key present', 'Null', 's3:x-amz-acl', 'true', false],
  ['Null false: key present', 'Null', 's3:x-amz-acl', 'false', true],
  ['an absent key fails a positive operator', 'StringEquals', 's3:x-amz-server-side-encryption', 'aws:kms', false],
  ['an absent key satisfies a negated operator', 'StringNotEquals', 's3:x-amz-server-side-encryption', 'aws:kms', true],
  ['an absent key satisfies NotIpAddress', 'NotIpAddress', 'aws:VpcSourceIp', '10.0.0.0/8', true],
  ['an absent key satisfies …IfExists', 'StringEqualsIfExists', 's3:x-amz-server-side-encryption', 'aws:kms', true],
  ['…IfExists still tests a present key', 'StringEqualsIfExists', 's3:x-amz-acl', 'private', false],
  ['BoolIfExists on an absent key (long-term keys have no MFA key)', 'BoolIfExists', 'aws:MultiFactorAuthPresent', 'false', true],
  ['ForAnyValue: one context value matches', 'ForAnyValue:StringEquals', 'aws:TagKeys', ['owner', 'cost-center'], true],
  ['ForAnyValue: none matches', 'ForAnyValue:StringEquals', 'aws:TagKeys', ['cost-center'], false],
  ['ForAnyValue: absent key fails', 'ForAnyValue:StringEquals', 'aws:RequestTag/x', 'y', false],
  ['ForAllValues: every context value allowed', 'ForAllValues:StringEquals', 'aws:TagKeys', ['project', 'owner', 'env'], true],
  ['ForAllValues: one value not allowed', 'ForAllValues:StringEquals', 'aws:TagKeys', ['project'], false],
  ['ForAllValues: absent key holds', 'ForAllValues:StringEquals', 'aws:RequestTag/x', 'y', true],
  ['ForAnyValue with a negated operator: some value outside', 'ForAnyValue:StringNotEquals', 'aws:TagKeys', ['project'], true],
  ['an unknown operator never holds', 'StringSortOf', 'aws:username', 'alice', false],
];

describe('condition operators', () => {
  it.each(rows)('%s', (_name, operator, key, expected, satisfied) => {
    const result = evaluateConditions({ [operator]: { [key]: expected as string } }, context, true);
    expect(result.satisfied).toBe(satisfied);
    expect(result.traces[0]).toMatchObject({ operator, key, satisfied });
  });

  it('ANDs operators and keys, and traces every condition with expected and actual values', () => {
    const result = evaluateConditions(
      { StringEquals: { 'aws:username': 'alice', 's3:x-amz-acl': 'private' }, Bool: { 'aws:SecureTransport': 'true' } },
      context,
      true,
    );
    expect(result.satisfied).toBe(false);
    expect(result.traces).toEqual([
      { operator: 'StringEquals', key: 'aws:username', expected: ['alice'], actual: ['alice'], satisfied: true },
      { operator: 'StringEquals', key: 's3:x-amz-acl', expected: ['private'], actual: ['bucket-owner-full-control'], satisfied: false },
      { operator: 'Bool', key: 'aws:SecureTransport', expected: ['true'], actual: ['true'], satisfied: true },
    ]);
  });

  it('shows an absent key as actual: null', () => {
    const { traces } = evaluateConditions({ StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } }, context, true);
    expect(traces[0]?.actual).toBeNull();
  });

  it('treats a variable the request lacks as matching nothing, unless it has a default', () => {
    expect(evaluateConditions({ StringEquals: { 'aws:username': '${aws:userid}' } }, context, true).satisfied).toBe(false);
    expect(evaluateConditions({ StringEquals: { 'aws:username': "${aws:userid, 'alice'}" } }, context, true).satisfied).toBe(true);
  });

  it('keeps ${…} literal in policies older than 2012-10-17', () => {
    expect(evaluateConditions({ StringEquals: { 'aws:username': '${aws:username}' } }, context, false).satisfied).toBe(false);
  });
});
