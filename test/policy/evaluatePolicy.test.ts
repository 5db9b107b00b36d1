import { evaluatePolicy } from '../../lambda/policy/evaluatePolicy';
import type { AuthorizationQuery, Statement } from '../../lambda/policy/types';
import { ACCOUNT, OBJECT_ARN, policy, ROLE_ARN, SESSION_ARN } from '../factories';

const query: AuthorizationQuery = {
  principal: { arn: SESSION_ARN, roleArn: ROLE_ARN, accountId: ACCOUNT },
  action: 's3:PutObject',
  resource: OBJECT_ARN,
  context: { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'media' },
};

function decide(statement: Statement, principalRequired = false) {
  return evaluatePolicy(policy(statement), query, { principalRequired }).decision;
}

describe('matching actions and resources', () => {
  it.each<[string, Statement, string]>([
    ['an exact action', { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }, 'allow'],
    ['actions case-insensitively', { Effect: 'Allow', Action: 'S3:putobject', Resource: '*' }, 'allow'],
    ['a * wildcard action', { Effect: 'Allow', Action: 's3:Put*', Resource: '*' }, 'allow'],
    ['a ? wildcard action', { Effect: 'Allow', Action: 's3:P?tObject', Resource: '*' }, 'allow'],
    ['another action', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, 'implicit-deny'],
    ['NotAction excluding another action', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }, 'allow'],
    ['NotAction excluding this action', { Effect: 'Allow', NotAction: 's3:*', Resource: '*' }, 'implicit-deny'],
    [
      'a bucket ARN does not cover its objects',
      { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::contoso-media-uploads' },
      'implicit-deny',
    ],
    [
      'resources are case-sensitive',
      { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::CONTOSO-media-uploads/*' },
      'implicit-deny',
    ],
    ['NotResource excluding another bucket', { Effect: 'Allow', Action: 's3:PutObject', NotResource: 'arn:aws:s3:::secrets/*' }, 'allow'],
    [
      'NotResource excluding this object',
      { Effect: 'Allow', Action: 's3:PutObject', NotResource: 'arn:aws:s3:::contoso-media-uploads/*' },
      'implicit-deny',
    ],
    [
      'a resource with a variable',
      { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::contoso-${aws:PrincipalTag/team}-uploads/*' },
      'allow',
    ],
    [
      'a variable the request lacks matches nothing',
      { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::${aws:SourceVpce}/*' },
      'implicit-deny',
    ],
    ['Deny beats Allow', { Effect: 'Deny', Action: 's3:*', Resource: '*' }, 'explicit-deny'],
  ])('%s', (_name, statement, decision) => {
    expect(decide(statement)).toBe(decision);
  });

  it('treats a substituted value as literal, never as a wildcard', () => {
    const starQuery = { ...query, context: { 'aws:username': '*' }, resource: 'arn:aws:s3:::b/anything' };
    const statement: Statement = { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/${aws:username}' };
    expect(evaluatePolicy(policy(statement), starQuery, { principalRequired: false }).decision).toBe('implicit-deny');
  });

  it('reads ${*} as a literal asterisk', () => {
    const literal = { ...query, resource: 'arn:aws:s3:::b/file*' };
    const statement: Statement = { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/file${*}' };
    expect(evaluatePolicy(policy(statement), literal, { principalRequired: false }).decision).toBe('allow');
    expect(evaluatePolicy(policy(statement), { ...literal, resource: 'arn:aws:s3:::b/file1' }, { principalRequired: false }).decision).toBe(
      'implicit-deny',
    );
  });

  it('reports the Allow that failed only a condition as the near miss', () => {
    const result = evaluatePolicy(
      policy(
        { Sid: 'Other', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        { Sid: 'Close', Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      ),
      query,
      { principalRequired: false },
    );
    expect(result.decision).toBe('implicit-deny');
    expect(result.nearMiss).toMatchObject({ sid: 'Close', index: 1, result: 'condition-failed' });
  });

  it('accepts a single statement object instead of a list', () => {
    expect(
      evaluatePolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, query, {
        principalRequired: false,
      }).decision,
    ).toBe('allow');
  });
});

describe('matching principals in resource policies', () => {
  it.each<[string, Statement['Principal'], string]>([
    ['"*"', '*', 'allow'],
    ['{"AWS": "*"}', { AWS: '*' }, 'allow'],
    ['the role session', { AWS: SESSION_ARN }, 'allow'],
    ['the role', { AWS: ROLE_ARN }, 'allow'],
    ['the account root', { AWS: `arn:aws:iam::${ACCOUNT}:root` }, 'allow'],
    ['the bare account id', { AWS: ACCOUNT }, 'allow'],
    ['another account', { AWS: 'arn:aws:iam::111111111111:root' }, 'implicit-deny'],
    ['another role', { AWS: `arn:aws:iam::${ACCOUNT}:role/Other` }, 'implicit-deny'],
    ['a service', { Service: 'cloudtrail.amazonaws.com' }, 'implicit-deny'],
  ])('Principal %s', (_name, principal, decision) => {
    expect(decide({ Effect: 'Allow', Principal: principal, Action: 's3:PutObject', Resource: '*' }, true)).toBe(decision);
  });

  it.each<[string, string[], string]>([
    ['NotPrincipal naming only the role still denies its session', [ROLE_ARN], 'explicit-deny'],
    ['NotPrincipal naming role and session but not the account still denies', [ROLE_ARN, SESSION_ARN], 'explicit-deny'],
    [
      'NotPrincipal naming account, role and session exempts the session',
      [`arn:aws:iam::${ACCOUNT}:root`, ROLE_ARN, SESSION_ARN],
      'implicit-deny',
    ],
    ['NotPrincipal naming another principal denies', ['arn:aws:iam::111111111111:role/X'], 'explicit-deny'],
  ])('%s', (_name, listed, decision) => {
    expect(decide({ Effect: 'Deny', NotPrincipal: { AWS: listed }, Action: 's3:PutObject', Resource: '*' }, true)).toBe(decision);
  });
});

describe('a policy variable the request cannot resolve', () => {
  const missingTag = 'arn:aws:s3:::contoso-media-uploads/${aws:PrincipalTag/project}/*';
  it.each<[string, Statement, string]>([
    ['in Resource: that entry matches nothing', { Effect: 'Allow', Action: 's3:PutObject', Resource: missingTag }, 'implicit-deny'],
    [
      'in Resource beside an entry that matches: the other still grants',
      { Effect: 'Allow', Action: 's3:PutObject', Resource: [missingTag, OBJECT_ARN] },
      'allow',
    ],
    [
      'in NotResource of a Deny: the Deny does not apply',
      { Effect: 'Deny', Action: 's3:PutObject', NotResource: missingTag },
      'implicit-deny',
    ],
    [
      'in NotResource of an Allow: the Allow does not apply',
      { Effect: 'Allow', Action: 's3:PutObject', NotResource: missingTag },
      'implicit-deny',
    ],
    [
      'resolved in NotResource naming another prefix: the Deny applies',
      { Effect: 'Deny', Action: 's3:PutObject', NotResource: 'arn:aws:s3:::contoso-media-uploads/${aws:PrincipalTag/team}-only/*' },
      'explicit-deny',
    ],
  ])('%s', (_name, statement, expected) => {
    expect(decide(statement)).toBe(expected);
  });
});
