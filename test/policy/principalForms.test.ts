/**
 * Each way a Principal or NotPrincipal element can name a caller, and what it means.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-version
 */
import { evaluatePolicy } from '../../lambda/policy/evaluatePolicy';
import { matchPrincipal, notPrincipalApplies } from '../../lambda/policy/principal';
import type { RequestPrincipal, Statement } from '../../lambda/policy/types';
import { ACCOUNT, ROLE_ARN, SESSION_ARN } from '../factories';

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const session: RequestPrincipal = { arn: SESSION_ARN, roleArn: ROLE_ARN, accountId: ACCOUNT };
const user: RequestPrincipal = { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT };
const service: RequestPrincipal = { arn: 'logging.s3.amazonaws.com', accountId: ACCOUNT, service: 'logging.s3.amazonaws.com' };
const anonymous: RequestPrincipal = { arn: 'anonymous', accountId: 'anonymous', anonymous: true };
const canonical: RequestPrincipal = { ...user, canonicalUserId: 'c0ffee' };

describe('how a Principal element names the caller', () => {
  it.each<[string, Statement['Principal'], RequestPrincipal, ReturnType<typeof matchPrincipal>]>([
    ['the session ARN names the session', { AWS: SESSION_ARN }, session, 'session-or-user'],
    ['the role ARN names the role behind the session', { AWS: ROLE_ARN }, session, 'role'],
    ['the account root ARN names only the account', { AWS: ROOT }, session, 'account'],
    ['the bare account id is the account root', { AWS: ACCOUNT }, user, 'account'],
    ['a user ARN names the user', { AWS: user.arn }, user, 'session-or-user'],
    ['"*" names everyone', '*', session, 'everyone'],
    ['{"AWS": "*"} names everyone', { AWS: '*' }, session, 'everyone'],
    ['another account names nobody here', { AWS: 'arn:aws:iam::111111111111:root' }, session, null],
    ['a service principal names the service', { Service: 'logging.s3.amazonaws.com' }, service, 'service'],
    ['another service names nobody', { Service: 'cloudtrail.amazonaws.com' }, service, null],
    ['an account entry never names a service', { AWS: ACCOUNT }, service, null],
    ['only "*" names an anonymous caller', { AWS: ROOT }, anonymous, null],
    ['"*" names an anonymous caller', { AWS: '*' }, anonymous, 'everyone'],
    ['a canonical user id names its owner', { CanonicalUser: 'c0ffee' }, canonical, 'canonical-user'],
    ['another canonical user id names nobody', { CanonicalUser: 'beef' }, canonical, null],
    ['a canonical user id names nobody without one', { CanonicalUser: 'c0ffee' }, user, null],
    ['no Principal names nobody', undefined, session, null],
    // The grammar allows only "*" or a map of principal types; anything else names nobody.
    ['a bare ARN, not a map, names nobody', ROLE_ARN as unknown as Statement['Principal'], session, null],
    ['null names nobody', null as unknown as Statement['Principal'], session, null],
  ])('%s', (_name, element, principal, expected) => {
    expect(matchPrincipal(element, principal)).toBe(expected);
  });

  // Several entries may name the caller; the most specific decides whether a boundary still caps the grant.
  it.each<[string, string[], ReturnType<typeof matchPrincipal>]>([
    ['account and role: the role', [ROOT, ROLE_ARN], 'role'],
    ['account and session: the session', [ACCOUNT, SESSION_ARN], 'session-or-user'],
    ['everyone and the role: the role', ['*', ROLE_ARN], 'role'],
    ['everyone and the account: everyone', [ROOT, '*'], 'everyone'],
    ['the role then the account: the role', [ROLE_ARN, ROOT], 'role'],
    ['another account then the session: the session', ['arn:aws:iam::111111111111:root', SESSION_ARN], 'session-or-user'],
  ])('with %s named, the strongest match wins', (_name, entries, expected) => {
    expect(matchPrincipal({ AWS: entries }, session)).toBe(expected);
  });
});

describe('NotPrincipal with Deny', () => {
  it.each<[string, string[], RequestPrincipal, boolean]>([
    ['account, role and session all listed: the session is left out', [ROOT, ROLE_ARN, SESSION_ARN], session, false],
    ['account and session but not the role: the Deny applies', [ROOT, SESSION_ARN], session, true],
    ['role and session but not the account: the Deny applies', [ROLE_ARN, SESSION_ARN], session, true],
    ['account by bare id, role and session: left out', [ACCOUNT, ROLE_ARN, SESSION_ARN], session, false],
    ['a user and its account: left out', [ROOT, user.arn], user, false],
    ['the user alone: the Deny applies', [user.arn], user, true],
    ['account and role but not the session: the Deny applies', [ROOT, ROLE_ARN], session, true],
  ])('%s', (_name, listed, principal, applies) => {
    expect(notPrincipalApplies({ AWS: listed }, principal)).toBe(applies);
  });

  it('applies to a principal with a permissions boundary, whatever it lists', () => {
    expect(notPrincipalApplies({ AWS: [ROOT, ROLE_ARN, SESSION_ARN] }, { ...session, hasPermissionsBoundary: true })).toBe(true);
  });

  it('leaves out a service it names, and applies to one it does not', () => {
    expect(notPrincipalApplies({ Service: 'logging.s3.amazonaws.com' }, service)).toBe(false);
    expect(notPrincipalApplies({ Service: 'cloudtrail.amazonaws.com' }, service)).toBe(true);
  });

  it('without NotPrincipal there is nothing to apply; "*" leaves everyone out', () => {
    expect(notPrincipalApplies(undefined, session)).toBe(false);
    expect(notPrincipalApplies('*', session)).toBe(false);
  });

  it('applies when the element is neither "*" nor a map: it names nobody to leave out', () => {
    expect(notPrincipalApplies(null as unknown as Statement['NotPrincipal'], session)).toBe(true);
    expect(notPrincipalApplies(ROOT as unknown as Statement['NotPrincipal'], session)).toBe(true);
  });

  it('applies to an anonymous caller', () => {
    expect(notPrincipalApplies({ AWS: ROOT }, anonymous)).toBe(true);
  });
});

describe('policy variables and the policy Version', () => {
  const statement: Statement = { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' };
  const query = {
    principal: user,
    action: 's3:PutObject',
    resource: 'arn:aws:s3:::b/alice/report.csv',
    context: { 'aws:username': 'alice' },
  };

  it.each([
    ['2012-10-17 resolves ${aws:username}', '2012-10-17', 'allow'],
    ['2008-10-17 reads it as literal text', '2008-10-17', 'implicit-deny'],
    ['no Version reads it as literal text', undefined, 'implicit-deny'],
  ])('%s', (_name, version, decision) => {
    const document = { ...(version ? { Version: version } : {}), Statement: [statement] };
    expect(evaluatePolicy(document, query, { principalRequired: false }).decision).toBe(decision);
  });

  it('an older Version matches the variable’s literal text', () => {
    const literal = { ...query, resource: 'arn:aws:s3:::b/${aws:username}/report.csv' };
    expect(evaluatePolicy({ Version: '2008-10-17', Statement: [statement] }, literal, { principalRequired: false }).decision).toBe('allow');
  });
});
