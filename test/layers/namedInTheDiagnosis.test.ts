/**
 * What a diagnosis names, layer by layer: the policy (kind, name, ARN, account), the statement (Sid, or its
 * place in the JSON) and the condition that decided, in the words an engineer reads at 2 a.m. A right
 * verdict that points at the wrong policy sends them to the wrong console page, so these are pinned too.
 * The kinds of policy are those of the IAM evaluation logic:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { diagnose, parseEvent, type Statement } from '../../lambda';
import type { AccountSnapshot, AttachedPolicy, NamedPolicy, OrgLevel } from '../../lambda/model/snapshot';
import {
  ACCOUNT,
  ALLOW_PUT,
  BUCKET,
  OBJECT_ARN,
  OTHER_ACCOUNT,
  partnerUpload,
  policy,
  s3Record,
  snapshot,
  roleIdentity,
} from '../factories';

const UNCONDITIONAL_DENY: Statement = { Effect: 'Deny', Action: 's3:PutObject', Resource: '*' };
const READS: Statement = { Sid: 'Reads', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
const FULL: Statement = { Sid: 'FullAWSAccess', Effect: 'Allow', Action: '*', Resource: '*' };
const USER = {
  type: 'IAMUser',
  principalId: 'AIDAEXAMPLEUSER',
  arn: `arn:aws:iam::${ACCOUNT}:user/ci-uploader`,
  accountId: ACCOUNT,
  accessKeyId: 'AKIAEXAMPLEUSER12345',
  userName: 'ci-uploader',
};

interface Named {
  verdict: string;
  layer?: string;
  policy?: unknown;
  statement?: unknown;
  explanation?: string;
  detail?: string;
}

/** The first deciding layer, and the trace line of that layer for the upload. */
function named(account: AccountSnapshot, record = s3Record()): Named {
  const diagnosis = diagnose(parseEvent(record).requests[0]!, account);
  const first = diagnosis.decidingLayers[0];
  const trace = diagnosis.layers.find((l) => l.layer === first?.layer && l.action === 's3:PutObject');
  return {
    verdict: diagnosis.verdict,
    ...(first
      ? {
          layer: first.layer,
          policy: first.policy,
          statement: first.statement && { sid: first.statement.sid, index: first.statement.index },
          explanation: first.explanation,
        }
      : {}),
    ...(trace ? { detail: trace.detail } : {}),
  };
}

function detailOf(layer: string, account: AccountSnapshot, record = s3Record()): string | undefined {
  return diagnose(parseEvent(record).requests[0]!, account).layers.find((l) => l.layer === layer && l.action === 's3:PutObject')?.detail;
}

const base = snapshot();
const withPrincipal = (principal: Partial<AccountSnapshot['principal']>, more: Partial<AccountSnapshot> = {}): AccountSnapshot => ({
  ...base,
  principal: { ...base.principal, ...principal },
  ...more,
});

describe('identity-based policies: which one, by its kind', () => {
  const guard = (source: AttachedPolicy['source'], arn?: string): AttachedPolicy => ({
    source,
    name: 'Guard',
    ...(source.startsWith('group') ? { group: 'uploaders' } : {}),
    ...(arn ? { arn } : {}),
    document: policy(ALLOW_PUT, UNCONDITIONAL_DENY),
  });
  const GUARD_ARN = `arn:aws:iam::${ACCOUNT}:policy/Guard`;

  it.each<[string, AttachedPolicy, object, string]>([
    ['inline policy', guard('inline'), { kind: 'inline policy', name: 'Guard', account: ACCOUNT }, 'inline policy "Guard"'],
    [
      'managed policy',
      guard('managed', GUARD_ARN),
      { kind: 'managed policy', name: 'Guard', arn: GUARD_ARN, account: ACCOUNT },
      'managed policy "Guard"',
    ],
    [
      'group inline policy',
      guard('group-inline'),
      { kind: 'group inline policy', name: 'uploaders/Guard', account: ACCOUNT },
      'group inline policy "uploaders/Guard"',
    ],
    [
      'group managed policy',
      guard('group-managed', GUARD_ARN),
      { kind: 'group managed policy', name: 'uploaders/Guard', arn: GUARD_ARN, account: ACCOUNT },
      'group managed policy "uploaders/Guard"',
    ],
  ])('a Deny without a Sid in a %s', (_kind, attached, ref, words) => {
    const account = withPrincipal({ policies: [{ source: 'inline', name: 'ingest', document: policy(ALLOW_PUT) }, attached] });
    expect(named(account)).toEqual({
      verdict: 'explicit-deny',
      layer: 'identity-policy',
      policy: ref,
      statement: { sid: null, index: 1 },
      explanation: `Statement[1] (no Sid) in ${words} denies s3:PutObject unconditionally.`,
      detail: `denied by Statement[1] (no Sid) in ${words}`,
    });
  });

  it('a Deny with a Sid and a condition that held: the condition and the value the request carried', () => {
    const deny: Statement = {
      Sid: 'OnlyFromTheOffice',
      Effect: 'Deny',
      Action: 's3:PutObject',
      Resource: '*',
      Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '172.16.0.0/12'] } },
    };
    const account = withPrincipal({ policies: [{ source: 'inline', name: 'ingest', document: policy(ALLOW_PUT, deny) }] });
    expect(named(account)).toMatchObject({
      statement: { sid: 'OnlyFromTheOffice', index: 1 },
      explanation:
        'Statement "OnlyFromTheOffice" in inline policy "ingest" denies s3:PutObject because ' +
        'aws:SourceIp is "192.0.2.10" (NotIpAddress one of 10.0.0.0/8, 172.16.0.0/12).',
    });
  });

  it.each<[string, AttachedPolicy[], Partial<AccountSnapshot['principal']>, Record<string, unknown>, string]>([
    ['a role with no policy', [], {}, s3Record(), 'the identity policies of role MediaIngest are empty'],
    [
      'a role whose policy allows reads',
      [{ source: 'inline', name: 'r', document: policy(READS) }],
      {},
      s3Record(),
      'no statement in the identity policies of role MediaIngest allows it',
    ],
    [
      'a user with no policy',
      [],
      { arn: USER.arn, kind: 'user' },
      s3Record({ userIdentity: USER }),
      'the identity policies of user ci-uploader are empty',
    ],
  ])('nothing allows it: %s', (_name, policies, principal, record, detail) => {
    const result = named(withPrincipal({ policies, ...principal }), record);
    expect(result).toMatchObject({ verdict: 'implicit-deny', layer: 'identity-policy', policy: null, statement: null, detail });
    expect(result.explanation).toBe(
      `No statement in ${detail.match(/the identity policies of \w+ [\w-]+/)![0]} allows s3:PutObject on ${OBJECT_ARN}.`,
    );
  });

  it('the root user needs none, and says so', () => {
    const root = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'ASIAROOT' };
    expect(
      detailOf('identity-policy', withPrincipal({ arn: root.arn, kind: 'root', policies: [] }), s3Record({ userIdentity: root })),
    ).toBe('the root user needs no identity policy');
  });

  it('policies the collectors could not read: their reason, not a guess', () => {
    expect(detailOf('identity-policy', withPrincipal({ policies: null }))).toBe(
      'the snapshot lists no identity policies for the principal',
    );
    const unseen = { ...base, unseen: [{ layer: 'identity-policy' as const, reason: 'iam:ListRolePolicies was denied' }] };
    expect(detailOf('identity-policy', unseen)).toBe('iam:ListRolePolicies was denied');
  });
});

describe('a permissions boundary: named even when nothing in it comes close, so the fix can name its ARN', () => {
  const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT}:policy/DevBoundary`;
  const boundary = (more: Partial<NamedPolicy> = {}): NamedPolicy => ({
    name: 'DevBoundary',
    arn: BOUNDARY_ARN,
    document: policy(READS),
    ...more,
  });

  it('names the boundary, its ARN, and the command that changes it', () => {
    const account = withPrincipal({ permissionsBoundary: boundary() });
    const diagnosis = diagnose(parseEvent(s3Record()).requests[0]!, account);
    expect(named(account)).toEqual({
      verdict: 'implicit-deny',
      layer: 'permissions-boundary',
      policy: { kind: 'permissions boundary', name: 'DevBoundary', arn: BOUNDARY_ARN },
      statement: null,
      explanation: `No statement in the permissions boundary DevBoundary allows s3:PutObject on ${OBJECT_ARN}.`,
      detail: 'no statement in the permissions boundary DevBoundary allows it',
    });
    expect(diagnosis.fixes[0]?.command).toContain(`--policy-arn=${BOUNDARY_ARN} `);
  });

  it('a boundary without a name or ARN is still "the boundary", and the command asks for its ARN', () => {
    const account = withPrincipal({ permissionsBoundary: { document: policy(READS) } });
    const diagnosis = diagnose(parseEvent(s3Record()).requests[0]!, account);
    expect(named(account)).toMatchObject({
      policy: { kind: 'permissions boundary', name: 'boundary' },
      detail: 'no statement in the permissions boundary boundary allows it',
    });
    expect(diagnosis.fixes[0]?.command).toContain('BOUNDARY_ARN');
  });

  it('a Deny in it names its statement', () => {
    const account = withPrincipal({
      permissionsBoundary: boundary({ document: policy(FULL, { ...UNCONDITIONAL_DENY, Sid: 'NoWrites' }) }),
    });
    expect(named(account)).toMatchObject({
      verdict: 'explicit-deny',
      statement: { sid: 'NoWrites', index: 1 },
      detail: 'denied by statement "NoWrites" in the permissions boundary DevBoundary',
    });
  });

  it('none set: not applicable, and said plainly', () => {
    expect(detailOf('permissions-boundary', base)).toBe('no permissions boundary is set');
  });
});

describe('session policies: named by the session they were passed to', () => {
  const withSession = (policies: NamedPolicy[]): AccountSnapshot => ({ ...base, session: { policies } });

  it('the second of two unnamed session policies is "session policy 2"', () => {
    const account = withSession([{ document: policy(FULL) }, { document: policy(FULL, UNCONDITIONAL_DENY) }]);
    expect(named(account)).toMatchObject({
      layer: 'session-policy',
      policy: { kind: 'session policy', name: 'session policy 2' },
      detail: 'denied by Statement[1] (no Sid) in session policy "session policy 2"',
    });
  });

  it('a managed session policy keeps its name and ARN', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/SessionCap`;
    const deny = withSession([{ name: 'SessionCap', arn, document: policy(FULL, UNCONDITIONAL_DENY) }]);
    expect(named(deny).policy).toEqual({ kind: 'session policy', name: 'SessionCap', arn });
  });

  it('nothing allows it: the session is named by its session name', () => {
    expect(named(withSession([{ document: policy(READS) }]))).toMatchObject({
      verdict: 'implicit-deny',
      detail: 'no statement in the session policies of ingest-worker-7 allows it',
      explanation: `No statement in the session policies of ingest-worker-7 allows s3:PutObject on ${OBJECT_ARN}.`,
    });
  });

  it.each<[string, AccountSnapshot, Record<string, unknown>, string]>([
    [
      'long-term credentials',
      { ...withSession([{ document: policy(READS) }]), principal: { ...base.principal, arn: USER.arn, kind: 'user' } },
      s3Record({ userIdentity: USER }),
      'long-term credentials carry no session policy',
    ],
    ['a session created without one', withSession([]), s3Record(), 'the session was created without a session policy'],
  ])('not applicable: %s', (_name, account, record, detail) => {
    expect(detailOf('session-policy', account, record)).toBe(detail);
  });
});

describe('SCPs and RCPs: the level that decided, by its target', () => {
  const level = (target: string, ...policies: { id?: string; name?: string; statements: Statement[] }[]): OrgLevel => ({
    target,
    policies: policies.map((p) => ({
      ...(p.id ? { id: p.id } : {}),
      ...(p.name ? { name: p.name } : {}),
      document: policy(...p.statements),
    })),
  });
  const inOrganization = (scpLevels: OrgLevel[], rcpLevels?: OrgLevel[]): AccountSnapshot =>
    snapshot({ organization: { id: 'o-example', memberAccountIds: [ACCOUNT], scpLevels, ...(rcpLevels ? { rcpLevels } : {}) } });
  const full = { id: 'p-FullAWSAccess', name: 'FullAWSAccess', statements: [FULL] };

  it.each<[string, { id?: string; name?: string }, string]>([
    ['its name', { id: 'p-1', name: 'NoUploads' }, 'NoUploads'],
    ['its id when it has no name', { id: 'p-1' }, 'p-1'],
    ['"unnamed" when it has neither', {}, 'unnamed'],
  ])('a Deny at an OU names the policy by %s and the OU as its account', (_name, identity, shownAs) => {
    const account = inOrganization([
      level('r-root', full),
      level('ou-eng', full, { ...identity, statements: [UNCONDITIONAL_DENY] }),
      level(ACCOUNT, full),
    ]);
    expect(named(account)).toMatchObject({
      verdict: 'explicit-deny',
      layer: 'scp',
      policy: { kind: 'service control policy', name: shownAs, account: 'ou-eng' },
      detail: `denied by Statement[0] (no Sid) in service control policy "${shownAs}"`,
    });
  });

  it('a level without an Allow: which level, and why every level matters', () => {
    const account = inOrganization([level('r-root', full), level('ou-eng', { id: 'p-reads', statements: [READS] }), level(ACCOUNT, full)]);
    expect(named(account)).toMatchObject({
      verdict: 'implicit-deny',
      layer: 'scp',
      detail: 'no service control policy at ou-eng allows it',
      explanation:
        'Every level of the organization must allow s3:PutObject. ' +
        `No statement in the SCPs attached to ou-eng allows s3:PutObject on ${OBJECT_ARN}.`,
    });
  });

  it('SCPs do not restrict the management account or a service-linked role, nor RCPs the management account’s resources', () => {
    const denying = [level('r-root', full, { name: 'NoUploads', statements: [UNCONDITIONAL_DENY] }), level(ACCOUNT, full)];
    const inManagement = (organization: AccountSnapshot['organization']) =>
      snapshot({ organization: { ...organization, managementAccountId: ACCOUNT } });
    const asManagement = inManagement(inOrganization(denying, denying).organization);
    expect(detailOf('scp', asManagement)).toBe(`SCPs do not restrict the management account (${ACCOUNT})`);
    expect(detailOf('rcp', asManagement)).toBe(`RCPs do not restrict the management account's resources (${ACCOUNT})`);
    // The same organization binds a member account's role; not one AWS created for a service.
    expect(named(inOrganization(denying))).toMatchObject({ verdict: 'explicit-deny', layer: 'scp' });
    const linkedRole = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/replication.s3.amazonaws.com/AWSServiceRoleForS3Replication`;
    const identity = roleIdentity() as { sessionContext: { sessionIssuer: Record<string, unknown> } };
    const byLinkedRole = {
      ...identity,
      sessionContext: { ...identity.sessionContext, sessionIssuer: { ...identity.sessionContext.sessionIssuer, arn: linkedRole } },
    };
    const linkedAccount = inOrganization(denying);
    const account = { ...linkedAccount, principal: { ...linkedAccount.principal, arn: linkedRole } };
    expect(detailOf('scp', account, s3Record({ userIdentity: byLinkedRole }))).toBe('SCPs do not restrict service-linked roles');
  });

  it('allowed at every level: the levels it went through', () => {
    const account = inOrganization([level('r-root', full), level('ou-eng', full), level(ACCOUNT, full)]);
    expect(detailOf('scp', account)).toBe(`allowed at every level (r-root, ou-eng, ${ACCOUNT})`);
  });

  it('an RCP level without an Allow is said in RCP words', () => {
    const everyone: Statement = { ...FULL, Principal: '*' };
    const account = inOrganization(
      [level('r-root', full)],
      [
        level('r-root', { id: 'p-rcp', statements: [everyone] }),
        level('ou-data', { id: 'p-reads', statements: [{ ...READS, Principal: '*' }] }),
      ],
    );
    expect(named(account)).toMatchObject({
      layer: 'rcp',
      detail: 'no resource control policy at ou-data allows it',
      explanation: `Every level of the organization must allow s3:PutObject. No statement in the RCPs attached to ou-data allows s3:PutObject on ${OBJECT_ARN}.`,
    });
  });

  it('the caller outside the organization, SCPs not enabled, or no levels given', () => {
    const outside = snapshot({ organization: { id: 'o-example', memberAccountIds: ['999999999999'], scpLevels: [level('r-root', full)] } });
    expect(detailOf('scp', outside)).toBe(`the caller's account ${ACCOUNT} is outside the organization`);
    expect(detailOf('rcp', outside)).toBe(`the resource's account ${ACCOUNT} is outside the organization`);
    expect(detailOf('scp', inOrganization([]))).toBe('SCPs are not enabled in the organization');
    const levelsNotGiven = snapshot({ organization: { id: 'o-example', memberAccountIds: [ACCOUNT] } });
    expect(detailOf('scp', levelsNotGiven)).toBe('the snapshot holds no SCP levels for the organization');
  });
});

describe('a bucket policy near miss: the condition that failed, and what the request carried', () => {
  const partner = partnerUpload();
  const fromOffice = (condition: Statement['Condition']): AccountSnapshot => ({
    ...partner.account,
    bucket: {
      ...partner.account.bucket,
      policy: policy({
        Sid: 'FromOffice',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
        Condition: condition,
      }),
    },
  });

  it.each<[string, Statement['Condition'], string]>([
    ['one expected value', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, 'aws:SourceIp is "192.0.2.10" (IpAddress 10.0.0.0/8)'],
    [
      'several expected values',
      { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '172.16.0.0/12'] } },
      'aws:SourceIp is "192.0.2.10" (IpAddress one of 10.0.0.0/8, 172.16.0.0/12)',
    ],
    [
      'a key the request did not carry',
      { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d' } },
      'aws:SourceVpce is absent (StringEquals vpce-0a1b2c3d)',
    ],
  ])('%s', (_name, condition, failed) => {
    expect(named(fromOffice(condition), partner.record)).toMatchObject({
      verdict: 'implicit-deny',
      layer: 'bucket-policy',
      policy: { kind: 'bucket policy', name: BUCKET, account: ACCOUNT },
      statement: { sid: 'FromOffice', index: 0 },
      explanation: `Statement "FromOffice" in the bucket policy of ${BUCKET} would allow s3:PutObject, but ${failed}.`,
    });
  });

  it('an Allow for other objects: which resources it names', () => {
    const elsewhere = {
      ...partner.account,
      bucket: {
        ...partner.account.bucket,
        policy: policy({
          Sid: 'Reports',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
          Action: 's3:PutObject',
          Resource: [`arn:aws:s3:::${BUCKET}/reports/*`, `arn:aws:s3:::${BUCKET}/exports/*`],
        }),
      },
    };
    expect(named(elsewhere, partner.record)).toMatchObject({
      layer: 'bucket-policy',
      policy: { kind: 'bucket policy', name: BUCKET },
      explanation:
        `Statement "Reports" in the bucket policy of ${BUCKET} allows s3:PutObject only on ` +
        `arn:aws:s3:::${BUCKET}/reports/*, arn:aws:s3:::${BUCKET}/exports/*, which does not match ${OBJECT_ARN}.`,
      detail: `no Allow matched; statement "Reports" in the bucket policy of ${BUCKET} names s3:PutObject but other resources`,
    });
  });
});
