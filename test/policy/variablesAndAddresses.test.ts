/**
 * Policy variables with default values and special characters, IP blocks in both versions, and what an
 * evaluation reports beside its decision — each from the IAM reference.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-default-values
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
 */
import { evaluateConditions } from '../../lambda/policy/conditions';
import { evaluatePolicy } from '../../lambda/policy/evaluatePolicy';
import { addressInCidr } from '../../lambda/policy/ipAddress';
import { matchesPattern } from '../../lambda/policy/pattern';
import type { AuthorizationQuery, RequestContext, Statement } from '../../lambda/policy/types';
import { ACCOUNT, OBJECT_ARN, policy, ROLE_ARN, SESSION_ARN } from '../factories';

const options = { caseInsensitive: false, variables: true, wildcards: true };
const context: RequestContext = { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'media', 'aws:TagKeys': ['a', 'b'] };

describe('policy variables', () => {
  it.each([
    ['a present key', 'home/${aws:username}/*', 'home/alice/x', true],
    ['a present key, spaces inside the braces', 'home/${ aws:username }/*', 'home/alice/x', true],
    ['an absent key with a default', "home/${aws:PrincipalTag/project, 'shared'}/*", 'home/shared/x', true],
    ['a default with spaces around it', "home/${aws:PrincipalTag/project ,  'shared' }/*", 'home/shared/x', true],
    ['a present key ignores its default', "home/${aws:username, 'shared'}/*", 'home/shared/x', false],
    ['a default that holds a comma', "t/${aws:PrincipalTag/x, 'a,b'}", 't/a,b', true],
    ['an absent key without a default matches nothing', 'home/${aws:PrincipalTag/project}/*', 'home//x', false],
    ['a default without quotes is no default', 'home/${aws:PrincipalTag/project, shared}/*', 'home/shared/x', false],
    ['text before the quoted default makes it no default', "home/${aws:PrincipalTag/project, x'shared'}/*", 'home/shared/x', false],
    ['text after the quoted default makes it no default', "home/${aws:PrincipalTag/project, 'shared'x}/*", 'home/shared/x', false],
    ['${*} is a literal asterisk', 'file${*}', 'file*', true],
    ['${*} is not a wildcard', 'file${*}', 'file1', false],
    ['${?} is a literal question mark', 'what${?}', 'what?', true],
    ['${$} is a literal dollar', 'cost${$}', 'cost$', true],
    ['a multivalued key gives its first value', 'tag/${aws:TagKeys}', 'tag/a', true],
  ])('%s', (_name, pattern, value, expected) => {
    expect(matchesPattern(pattern, value, context, options)).toBe(expected);
  });

  it('leaves ${…} alone where variables do not exist (policy Version 2008-10-17)', () => {
    expect(matchesPattern('home/${aws:username}', 'home/${aws:username}', context, { ...options, variables: false })).toBe(true);
    expect(matchesPattern('home/${aws:username}', 'home/alice', context, { ...options, variables: false })).toBe(false);
  });

  it('in a condition value, resolves against the request, and an unresolvable one matches nothing', () => {
    const held = (value: string) => evaluateConditions({ StringEquals: { 'aws:PrincipalTag/team': value } }, context, true).satisfied;
    expect(held('${aws:PrincipalTag/team}')).toBe(true);
    expect(held('${aws:PrincipalTag/missing}')).toBe(false);
    expect(held("${aws:PrincipalTag/missing, 'media'}")).toBe(true);
    // A missing variable is not an empty string: 'media' followed by nothing would equal the tag.
    expect(held('media${aws:PrincipalTag/missing}')).toBe(false);
  });

  it('compiles a pattern apart for each way of reading it: case folded or not, wildcards or literal', () => {
    const read = (pattern: string, value: string, caseInsensitive: boolean, wildcards: boolean) =>
      matchesPattern(pattern, value, context, { caseInsensitive, variables: false, wildcards });
    // The same text as an action (case folded) and as a resource (case kept), then as a wildcard and as text.
    expect(read('S3:Put*', 's3:putobject', true, true)).toBe(true);
    expect(read('S3:Put*', 's3:putobject', false, true)).toBe(false);
    expect(read('S3:Put*', 'S3:PutObject', false, true)).toBe(true);
    expect(read('S3:Put*', 'S3:PutObject', false, false)).toBe(false);
    expect(read('S3:Put*', 'S3:Put*', false, false)).toBe(true);
  });
});

describe('IP blocks', () => {
  it.each([
    ['an IPv4 address in its /24', '203.0.113.77', '203.0.113.0/24', true],
    ['an IPv4 address outside its /24', '203.0.114.1', '203.0.113.0/24', false],
    ['a bare address is a /32', '203.0.113.77', '203.0.113.77', true],
    ['a bare address matches only itself', '203.0.113.78', '203.0.113.77', false],
    ['/0 holds every address', '198.51.100.7', '0.0.0.0/0', true],
    ['spaces around the block are ignored', '203.0.113.77', ' 203.0.113.0/24 ', true],
    ['a prefix longer than the address is no block', '203.0.113.77', '203.0.113.0/33', false],
    ['a prefix longer than the address is no block, even for its own network address', '203.0.113.0', '203.0.113.0/33', false],
    ['an IPv6 prefix longer than 128 is no block', '2001:db8::', '2001:db8::/129', false],
    ['spaces around the request address are ignored', ' 203.0.113.77 ', '203.0.113.0/24', true],
    ['a negative prefix is no block', '203.0.113.77', '203.0.113.0/-1', false],
    ['a fractional prefix is no block', '203.0.113.77', '203.0.113.0/24.5', false],
    ['an empty prefix is no block, not a /0', '198.51.100.7', '203.0.113.0/', false],
    ['a blank prefix is no block', '198.51.100.7', '203.0.113.0/ ', false],
    ['a hexadecimal prefix is no block', '203.0.113.77', '203.0.113.0/0x18', false],
    ['an exponent is no prefix', '203.0.113.77', '203.0.0.0/1e1', false],
    ['a second slash is no block', '203.0.113.77', '203.0.113.0/24/8', false],
    ['IPv6 in its /32', '2001:db8:1::7', '2001:db8::/32', true],
    ['IPv6 outside its /32', '2001:db9::7', '2001:db8::/32', false],
    ['IPv6 written out in full and compressed are one address', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1/128', true],
    ['IPv6 with :: at the start', '::1', '::1/128', true],
    ['IPv6 with :: at the end', '2001:db8::', '2001:db8::/128', true],
    ['an IPv4-mapped IPv6 address in its block', '::ffff:203.0.113.7', '::ffff:203.0.113.0/120', true],
    ['an IPv4-mapped IPv6 address outside its block', '::ffff:203.0.114.7', '::ffff:203.0.113.0/120', false],
    ['IPv4-mapped in dotted or in hex form is one address', '::ffff:cb00:7107', '::ffff:203.0.113.0/120', true],
    ['an IPv4-embedded address after other groups (NAT64)', '64:ff9b::203.0.113.7', '64:ff9b::cb00:7107/128', true],
    ['an IPv4-embedded address outside its NAT64 block', '64:ff9c::203.0.113.7', '64:ff9b::/96', false],
    ['IPv4 never matches an IPv6 block', '203.0.113.7', '::ffff:203.0.113.0/120', false],
    ['IPv6 never matches an IPv4 block', '2001:db8::1', '0.0.0.0/0', false],
    ['text that is no address', 'localhost', '0.0.0.0/0', false],
  ])('%s', (_name, address, cidr, expected) => {
    expect(addressInCidr(address, cidr)).toBe(expected);
  });
});

describe('what an evaluation reports beside its decision', () => {
  const query: AuthorizationQuery = {
    principal: { arn: SESSION_ARN, roleArn: ROLE_ARN, accountId: ACCOUNT },
    action: 's3:PutObject',
    resource: OBJECT_ARN,
    context: {},
  };
  const evaluate = (...statements: Statement[]) => evaluatePolicy(policy(...statements), query, { principalRequired: false });
  const bucketOnly: Statement = {
    Sid: 'BucketOnly',
    Effect: 'Allow',
    Action: 's3:PutObject',
    Resource: 'arn:aws:s3:::contoso-media-uploads',
  };
  const needsTls: Statement = {
    Sid: 'NeedsTls',
    Effect: 'Allow',
    Action: 's3:PutObject',
    Resource: '*',
    Condition: { Bool: { 'aws:SecureTransport': 'true' } },
  };

  it('names the Allow whose action matched but not its resource (the bucket for its objects)', () => {
    const result = evaluate({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, bucketOnly);
    expect(result.decision).toBe('implicit-deny');
    expect(result.resourceMiss).toMatchObject({ sid: 'BucketOnly', actionMatched: true, resourceMatched: false, result: 'no-match' });
  });

  it('names no resource miss for a Deny, nor once something allows', () => {
    expect(evaluate({ ...bucketOnly, Effect: 'Deny' }).resourceMiss).toBeNull();
    expect(evaluate(bucketOnly, { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }).resourceMiss).toBeNull();
  });

  it('names the Allow that failed only a condition, never a Deny, nor once something allows', () => {
    expect(evaluate(needsTls).nearMiss).toMatchObject({ sid: 'NeedsTls', result: 'condition-failed' });
    expect(evaluate({ ...needsTls, Effect: 'Deny' }).nearMiss).toBeNull();
    expect(evaluate(needsTls, { Effect: 'Allow', Action: '*', Resource: '*' }).nearMiss).toBeNull();
  });

  it('applies a statement without Resource or NotResource to every resource', () => {
    expect(evaluate({ Effect: 'Allow', Action: 's3:PutObject' }).decision).toBe('allow');
  });

  it('reads NotResource as every resource but those listed', () => {
    expect(
      evaluate({ Effect: 'Allow', Action: 's3:PutObject', NotResource: ['arn:aws:s3:::other/*', 'arn:aws:s3:::contoso-media-uploads/*'] })
        .decision,
    ).toBe('implicit-deny');
    expect(evaluate({ Effect: 'Allow', Action: 's3:PutObject', NotResource: ['arn:aws:s3:::other/*'] }).decision).toBe('allow');
  });

  it('traces every statement: its Sid (null when it has none) and how far it got', () => {
    const result = evaluate({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, needsTls, {
      Sid: 'Yes',
      Effect: 'Allow',
      Action: 's3:*',
      Resource: '*',
    });
    expect(result.statements.map((s) => [s.index, s.sid, s.result])).toEqual([
      [0, null, 'no-match'],
      [1, 'NeedsTls', 'condition-failed'],
      [2, 'Yes', 'match'],
    ]);
    expect(result.decisive).toMatchObject({ sid: 'Yes' });
    expect(result.statements[0]!.conditions).toEqual([]);
  });

  it('skips a statement that is not an object', () => {
    const document = { Version: '2012-10-17', Statement: ['nonsense', null, { Effect: 'Allow', Action: '*', Resource: '*' }] } as never;
    const result = evaluatePolicy(document, query, { principalRequired: false });
    expect(result.statements).toHaveLength(1);
    expect(result.decision).toBe('allow');
  });

  it('reads an Action list, ignoring entries that are not strings', () => {
    expect(evaluate({ Effect: 'Allow', Action: ['s3:GetObject', 7 as never, 's3:PutObject'], Resource: '*' }).decision).toBe('allow');
  });

  it('reports how a resource policy named the caller', () => {
    const named = evaluatePolicy(policy({ Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 's3:PutObject', Resource: '*' }), query, {
      principalRequired: true,
    });
    expect(named.statements[0]!.principalMatch).toBe('role');
    const excluded = evaluatePolicy(
      policy({ Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:PutObject', Resource: '*' }),
      query,
      { principalRequired: true },
    );
    expect(excluded.statements[0]!.principalMatch).toBe('everyone');
    expect(excluded.decision).toBe('explicit-deny');
  });
});
