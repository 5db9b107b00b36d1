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
  'custom:empty': '',
  'custom:zero': '0',
  'custom:blank': '  ',
  'custom:badDate': 'yesterday',
  'custom:logArn': 'arn:aws:logs:us-east-1:555566667777:log-group:app:log-stream:s1',
  'custom:fakeArn': 'xrn:aws:iam::555566667777:role/MediaIngest',
  'custom:emptyList': [],
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
  // An empty string is no number, though Number('') is 0.
  ['Numeric operators refuse an empty policy value', 'NumericEquals', 'custom:zero', '', false],
  ['Numeric operators refuse an empty request value', 'NumericEquals', 'custom:empty', '0', false],
  ['Numeric operators refuse a blank request value', 'NumericLessThanEquals', 'custom:blank', '0', false],
  // A date alone is ISO 8601 too, not a run of epoch digits.
  ['a date without a time is an ISO date', 'DateLessThan', 'aws:CurrentTime', '2026-12-01', true],
  ['epoch seconds with spaces around them', 'DateLessThan', 'aws:CurrentTime', ' 1795245151 ', true],
  ['an unreadable policy date is no date', 'DateLessThanEquals', 'aws:CurrentTime', 'next tuesday', false],
  ['an unreadable request date is no date', 'DateLessThan', 'custom:badDate', '2027-01-01T00:00:00Z', false],
  // ARNs compare component by component: the resource part keeps its colons, and a non-ARN policy value matches nothing.
  [
    'ArnLike keeps the colons of the resource part',
    'ArnLike',
    'custom:logArn',
    'arn:aws:logs:us-east-1:555566667777:log-group:app:*',
    true,
  ],
  ['ArnLike with a policy value that is no ARN', 'ArnLike', 'aws:PrincipalArn', 'role/MediaIngest', false],
  ['ArnLike with too few components', 'ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::555566667777', false],
  ['ArnLike wants the arn prefix', 'ArnLike', 'custom:fakeArn', 'xrn:aws:iam::555566667777:role/MediaIngest', false],
  ['ArnLike matches the whole account component', 'ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::5555:role/MediaIngest', false],
  // Operator prefixes and suffixes are read only where they belong.
  ['a set operator in the middle is no set operator', 'StringForAnyValue:Equals', 'aws:TagKeys', 'owner', false],
  ['IfExists only as a suffix', 'StringIfExistsEquals', 'aws:username', 'alice', false],
  ['operator names ignore case', 'foranyvalue:stringequalsifexists', 'aws:TagKeys', 'owner', true],
  ['Null with several values: any true asks for absence', 'Null', 's3:x-amz-server-side-encryption', ['false', 'true'], true],
  ['Null true: an empty list is absent', 'Null', 'custom:emptyList', 'true', true],
  // A multivalued key needs a set operator; without one, a positive operator holds when any value matches and a
  // negated one only when none does. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
  ['a plain operator on a multivalued key: any value matches', 'StringEquals', 'aws:TagKeys', 'owner', true],
  ['a plain negated operator on a multivalued key: one value matches, so it fails', 'StringNotEquals', 'aws:TagKeys', 'owner', false],
  ['a plain negated operator on a multivalued key: no value matches', 'StringNotEquals', 'aws:TagKeys', 'env', true],
  ['ForAllValues with a negated operator: one value listed fails', 'ForAllValues:StringNotEquals', 'aws:TagKeys', ['owner'], false],
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

  it('holds without a Condition block, and fails an operator whose keys are not a map', () => {
    expect(evaluateConditions(undefined, context, true)).toEqual({ satisfied: true, traces: [] });
    expect(evaluateConditions({ StringEquals: 'alice' } as never, context, true).satisfied).toBe(false);
    expect(evaluateConditions({ StringEquals: null } as never, context, true).satisfied).toBe(false);
    expect(evaluateConditions('StringEquals' as never, context, true).satisfied).toBe(true);
  });

  it('keeps ${…} literal in policies older than 2012-10-17', () => {
    expect(evaluateConditions({ StringEquals: { 'aws:username': '${aws:username}' } }, context, false).satisfied).toBe(false);
  });
});
