/**
 * The caller's side, each rule from the IAM policy evaluation logic:
 * - identity-based policies: an Allow in any attached policy (inline or managed, the user's own or its
 *   groups') grants; an explicit Deny in any of them denies; none is an implicit deny. The root user needs none.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * - a permissions boundary caps the identity policies: both must allow; a Deny in it denies.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 * - session policies cap a role session or federated session (several are combined, then intersected with
 *   the role's policies); long-term credentials carry none.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
 */
import { diagnose, parseEvent, type Statement } from '../../lambda';
import type { AccountSnapshot, AttachedPolicy } from '../../lambda/model/snapshot';
import { ACCOUNT, ALLOW_PUT, BUCKET, policy, s3Record, snapshot } from '../factories';

const DENY_PUT: Statement = { Sid: 'NoUploads', Effect: 'Deny', Action: 's3:PutObject', Resource: '*' };
const READS: Statement = { Sid: 'Reads', Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` };
const OTHER_BUCKET: Statement = { Sid: 'Elsewhere', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::another-bucket/*' };
const S3_ALL: Statement = { Sid: 'AllOfS3', Effect: 'Allow', Action: 's3:*', Resource: '*' };

const attached = (source: AttachedPolicy['source'], ...statements: Statement[]): AttachedPolicy => ({
  source,
  name: `${source}-${statements.map((s) => s.Sid).join('-')}`,
  ...(source.startsWith('group') ? { group: 'uploaders' } : {}),
  document: policy(...statements),
});

const USER_IDENTITY = {
  type: 'IAMUser',
  principalId: 'AIDAEXAMPLEUSER',
  arn: `arn:aws:iam::${ACCOUNT}:user/ci-uploader`,
  accountId: ACCOUNT,
  accessKeyId: 'AKIAEXAMPLEUSER12345',
  userName: 'ci-uploader',
};

function decide(layer: string, account: AccountSnapshot, record = s3Record()) {
  const diagnosis = diagnose(parseEvent(record).requests[0]!, account);
  const results = diagnosis.layers.filter((l) => l.layer === layer && l.action === 's3:PutObject').map((l) => l.result);
  return { result: results.join(','), verdict: diagnosis.verdict };
}

const withPolicies = (policies: AttachedPolicy[] | null, more: Partial<AccountSnapshot['principal']> = {}): AccountSnapshot => {
  const base = snapshot();
  return { ...base, principal: { ...base.principal, policies, ...more } };
};

describe('identity-based policies', () => {
  it.each<[string, AttachedPolicy[] | null, string, string]>([
    ['an inline Allow', [attached('inline', ALLOW_PUT)], 'allow', 'not-reproduced'],
    ['a managed Allow', [attached('managed', ALLOW_PUT)], 'allow', 'not-reproduced'],
    ['an Allow of s3:* on *', [attached('managed', S3_ALL)], 'allow', 'not-reproduced'],
    ['reads only', [attached('inline', READS)], 'implicit-deny', 'implicit-deny'],
    ['uploads to another bucket only', [attached('inline', OTHER_BUCKET)], 'implicit-deny', 'implicit-deny'],
    ['no policy at all', [], 'implicit-deny', 'implicit-deny'],
    [
      'an Allow in one policy and a Deny in another',
      [attached('inline', ALLOW_PUT), attached('managed', DENY_PUT)],
      'explicit-deny',
      'explicit-deny',
    ],
    ['a Deny beside the Allow in one policy', [attached('inline', ALLOW_PUT, DENY_PUT)], 'explicit-deny', 'explicit-deny'],
    ['policies the collectors could not list', null, 'not-visible', 'not-reproduced'],
  ])('of a role: %s', (_name, policies, result, verdict) => {
    expect(decide('identity-policy', withPolicies(policies))).toEqual({ result, verdict });
  });

  it.each<[string, AttachedPolicy[], string]>([
    ['its group’s inline Allow', [attached('group-inline', ALLOW_PUT)], 'allow'],
    ['its group’s managed Allow', [attached('group-managed', ALLOW_PUT)], 'allow'],
    ['its group’s Deny over its own Allow', [attached('inline', ALLOW_PUT), attached('group-managed', DENY_PUT)], 'explicit-deny'],
    ['nothing from its groups or itself', [attached('group-inline', READS)], 'implicit-deny'],
  ])('of a user: %s', (_name, policies, result) => {
    const account = withPolicies(policies, { arn: USER_IDENTITY.arn, kind: 'user' });
    expect(decide('identity-policy', account, s3Record({ userIdentity: USER_IDENTITY })).result).toBe(result);
  });

  it('of the root user: none needed', () => {
    const root = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'ASIAROOT' };
    const account = withPolicies([], { arn: root.arn, kind: 'root' });
    expect(decide('identity-policy', account, s3Record({ userIdentity: root }))).toEqual({ result: 'allow', verdict: 'not-reproduced' });
  });
});

describe('a permissions boundary', () => {
  const bounded = (...statements: Statement[]) =>
    withPolicies([attached('inline', ALLOW_PUT)], { permissionsBoundary: { name: 'DevBoundary', document: policy(...statements) } });
  it.each<[string, AccountSnapshot, string, string]>([
    ['none set', withPolicies([attached('inline', ALLOW_PUT)], { permissionsBoundary: null }), 'not-applicable', 'not-reproduced'],
    ['allowing the upload', bounded(ALLOW_PUT), 'allow', 'not-reproduced'],
    ['allowing s3:* on *', bounded(S3_ALL), 'allow', 'not-reproduced'],
    ['allowing reads only: it caps the identity policy’s grant', bounded(READS), 'implicit-deny', 'implicit-deny'],
    ['allowing uploads to another bucket only', bounded(OTHER_BUCKET), 'implicit-deny', 'implicit-deny'],
    ['denying uploads', bounded(S3_ALL, DENY_PUT), 'explicit-deny', 'explicit-deny'],
  ])('%s', (_name, account, result, verdict) => {
    expect(decide('permissions-boundary', account)).toEqual({ result, verdict });
  });

  it('grants nothing by itself: an allowing boundary over no identity grant is still a denial', () => {
    const account = withPolicies([], { permissionsBoundary: { name: 'DevBoundary', document: policy(S3_ALL) } });
    expect(decide('identity-policy', account)).toEqual({ result: 'implicit-deny', verdict: 'implicit-deny' });
  });
});

describe('session policies', () => {
  const inSession = (...documents: Statement[][]): AccountSnapshot => ({
    ...snapshot(),
    session: { policies: documents.map((statements, i) => ({ name: `session-${i}`, document: policy(...statements) })) },
  });
  it.each<[string, AccountSnapshot, string, string]>([
    ['none passed', { ...snapshot(), session: { policies: [] } }, 'not-applicable', 'not-reproduced'],
    ['allowing the upload', inSession([ALLOW_PUT]), 'allow', 'not-reproduced'],
    ['allowing reads only: it caps the role’s grant', inSession([READS]), 'implicit-deny', 'implicit-deny'],
    ['two, one of which allows: they are combined before the cap', inSession([READS], [ALLOW_PUT]), 'allow', 'not-reproduced'],
    ['denying uploads', inSession([S3_ALL, DENY_PUT]), 'explicit-deny', 'explicit-deny'],
  ])('of a role session: %s', (_name, account, result, verdict) => {
    expect(decide('session-policy', account)).toEqual({ result, verdict });
  });

  // GetFederationToken: the federated user's permissions are the IAM user's, capped by the policy passed.
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
  const FEDERATED_IDENTITY = {
    type: 'FederatedUser',
    principalId: `${ACCOUNT}:contractor`,
    arn: `arn:aws:sts::${ACCOUNT}:federated-user/contractor`,
    accountId: ACCOUNT,
    accessKeyId: 'ASIAEXAMPLEFEDERATED',
    sessionContext: {
      sessionIssuer: {
        type: 'IAMUser',
        principalId: 'AIDAEXAMPLEUSER',
        arn: USER_IDENTITY.arn,
        accountId: ACCOUNT,
        userName: 'ci-uploader',
      },
      attributes: { creationDate: '2026-11-21T06:00:00Z', mfaAuthenticated: 'false' },
    },
  };
  it.each<[string, Statement[], string, string]>([
    ['allowing the upload', [ALLOW_PUT], 'allow', 'not-reproduced'],
    ['allowing reads only: it caps the user’s grant', [READS], 'implicit-deny', 'implicit-deny'],
  ])('of a federated user (GetFederationToken): %s', (_name, statements, result, verdict) => {
    const account = { ...inSession(statements), principal: { ...snapshot().principal, arn: USER_IDENTITY.arn, kind: 'user' as const } };
    expect(decide('session-policy', account, s3Record({ userIdentity: FEDERATED_IDENTITY }))).toEqual({ result, verdict });
  });

  it('do not exist for long-term credentials: an IAM user’s upload is not capped by one', () => {
    const account = { ...inSession([READS]), principal: { ...snapshot().principal, arn: USER_IDENTITY.arn, kind: 'user' as const } };
    expect(decide('session-policy', account, s3Record({ userIdentity: USER_IDENTITY })).result).toBe('not-applicable');
  });

  it('are reported as not visible when the session could not be read', () => {
    const account = { ...snapshot(), unseen: [{ layer: 'session-policy', reason: 'the AssumeRole record was not found' }] };
    expect(decide('session-policy', account).result).toBe('not-visible');
  });
});
