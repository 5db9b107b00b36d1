/**
 * A Deny nothing the uploader sends can get around is fixed by the exact edit that spares this caller: one
 * statement replaced by Sid or index. An allowlist in a resource policy gets an applicable plan; any other
 * Deny is a guardrail whose edit is shown but never applied. No other principal of the account gets through.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
import { diagnose, parseEvent } from '../../lambda';
import type { DeniedRequest } from '../../lambda/model/request';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import type { Statement } from '../../lambda/policy/types';
import { planFix } from '../../lambda/remediate/planFix';
import { whatIf } from '../../lambda/whatIf/whatIf';
import { ACCOUNT, BUCKET, policy, ROLE_ARN, roleIdentity, s3Record, SESSION_ARN, snapshot, TLS_ONLY } from '../factories';
import { snapshotAfter } from '../remediate/snapshotAfter';

const CREATED = '2026-12-04T00:00:00Z';
const request = parseEvent(s3Record()).requests[0]!;
const colleague: DeniedRequest = parseEvent(s3Record({ userIdentity: roleIdentity(ACCOUNT, 'OtherTeam', 'nightly') })).requests[0]!;
/** The same account seen from another role of it, with the same identity policies. */
const asColleague = (account: AccountSnapshot): AccountSnapshot => ({
  ...account,
  principal: { ...account.principal, arn: `arn:aws:iam::${ACCOUNT}:role/OtherTeam` },
});
const deny = (fields: Partial<Statement>): Statement => ({
  Sid: 'OnlyApproved',
  Effect: 'Deny',
  Action: 's3:PutObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
  Principal: '*',
  ...fields,
});
const withBucketPolicy = (...statements: Statement[]): AccountSnapshot => {
  const account = snapshot({}, { policy: policy(...statements) });
  // Both roles may upload as far as their own policies go: only the bucket policy's Deny stands between.
  account.principal.policies = [
    { source: 'inline', name: 'put', document: policy({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }) },
  ];
  return account;
};

describe.each<[string, Statement, Partial<Statement>]>([
  [
    'NotPrincipal naming another role',
    deny({ Principal: undefined, NotPrincipal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/Exporter`] } }),
    { NotPrincipal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/Exporter`, `arn:aws:iam::${ACCOUNT}:root`, ROLE_ARN, SESSION_ARN] } },
  ],
  [
    'ArnNotEquals on aws:PrincipalArn',
    deny({ Condition: { ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/Exporter` } } }),
    { Condition: { ArnNotEquals: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/Exporter`, ROLE_ARN] } } },
  ],
  [
    'ArnNotLike on aws:PrincipalArn',
    deny({ Condition: { ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/Export*`] } } }),
    { Condition: { ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/Export*`, ROLE_ARN] } } },
  ],
  [
    'StringNotEquals on aws:PrincipalAccount (the caller’s own account is not listed)',
    deny({ Condition: { StringNotEquals: { 'aws:PrincipalAccount': '111122223333' } } }),
    { Condition: { StringNotEquals: { 'aws:PrincipalAccount': '111122223333' }, ArnNotEquals: { 'aws:PrincipalArn': ROLE_ARN } } },
  ],
  [
    'StringNotLike on aws:userid',
    deny({ Condition: { StringNotLike: { 'aws:userid': 'AROAEXPORTER:*' } } }),
    { Condition: { StringNotLike: { 'aws:userid': 'AROAEXPORTER:*' }, ArnNotEquals: { 'aws:PrincipalArn': ROLE_ARN } } },
  ],
])('a bucket policy allowlist by %s', (_name, statement, edited) => {
  const account = withBucketPolicy(TLS_ONLY, statement);
  const diagnosis = diagnose(request, account);
  const fix = diagnosis.fixes[0]!;

  it('is fixed by the statement with this caller added to its exemption, replacing it by Sid', () => {
    expect(diagnosis.decidingLayers[0]).toMatchObject({
      layer: 'bucket-policy',
      decision: 'explicit-deny',
      statement: { sid: 'OnlyApproved' },
    });
    expect(fix.owner).toBe('bucket-owner');
    expect(fix.policyPatch).toEqual({
      layer: 'bucket-policy',
      replaceStatement: { sid: 'OnlyApproved', index: 1 },
      Statement: [{ ...statement, ...edited }],
    });
    expect(fix.summary).toMatch(
      /^Add .* to the principals that statement "OnlyApproved" in the bucket policy of contoso-media-uploads exempts/,
    );
    // A NotPrincipal edit names one session: the summary says so, and what AWS advises instead.
    expect(fix.summary.includes('ArnNotEquals on aws:PrincipalArn instead')).toBe(statement.NotPrincipal !== undefined);
  });

  it('lets this caller through and no other principal of the account', () => {
    expect(whatIf(request, account, { policyPatches: [fix.policyPatch!] }).resolved).toBe(true);
    expect(whatIf(colleague, asColleague(account), { policyPatches: [fix.policyPatch!] }).after.verdict).toBe('explicit-deny');
  });

  it('gets an applicable plan that edits the statement in its place and keeps the rest', () => {
    const plan = planFix(request, account, { createdAt: CREATED });
    expect(plan).toMatchObject({ applicable: true, verdictAfter: 'not-reproduced' });
    const written = JSON.parse(plan.steps[0]!.parameters.Policy as string) as { Statement: Statement[] };
    expect(written.Statement).toEqual([TLS_ONLY, { ...statement, ...edited }]);
    expect(diagnose(colleague, asColleague(snapshotAfter(plan, account))).verdict).toBe('explicit-deny');
  });

  it('has a command that writes exactly that document', () => {
    const plan = planFix(request, account, { createdAt: CREATED });
    expect(fix.command).toContain(`--policy='${plan.steps[0]!.parameters.Policy as string}'`);
  });
});

describe('a Deny that names no principals it spares: a guardrail', () => {
  const account = withBucketPolicy(deny({ Sid: undefined, Resource: `arn:aws:s3:::${BUCKET}/incoming/*` }));
  const fix = diagnose(request, account).fixes[0]!;

  it('shows the exact edit, by index when the statement has no Sid', () => {
    expect(fix.policyPatch).toMatchObject({ layer: 'bucket-policy', replaceStatement: { index: 0 } });
    expect(fix.policyPatch?.Statement[0]?.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': ROLE_ARN } });
    expect(fix.summary).toContain('is a guardrail');
    expect(whatIf(request, account, { policyPatches: [fix.policyPatch!] }).resolved).toBe(true);
  });

  it('gets a plan that is not applicable, and says why', () => {
    const plan = planFix(request, account, { createdAt: CREATED });
    expect(plan).toMatchObject({ applicable: false, steps: [] });
    expect(plan.reason).toMatch(/^Statement\[0\] \(no Sid\) is a guardrail/);
    expect(plan.reason).not.toContain('not a policy change');
  });
});

describe('an SCP Deny', () => {
  const account = snapshot({
    organization: {
      id: 'o-abc',
      scpLevels: [
        {
          target: 'r-root',
          policies: [
            { id: 'p-full', name: 'FullAWSAccess', document: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) },
            { id: 'p-1234', name: 'NoUploads', document: policy({ Sid: 'NoPut', Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }) },
          ],
        },
      ],
    },
  });

  it('is edited in the policy named by its id, so the what-if applies it, and is a guardrail', () => {
    const fix = diagnose(request, account).fixes[0]!;
    expect(fix).toMatchObject({
      owner: 'org-admin',
      policyPatch: { layer: 'scp', policyName: 'p-1234', replaceStatement: { sid: 'NoPut' } },
    });
    expect(fix.summary).not.toMatch(/^Unverified/);
    expect(fix.command).toMatch(/^aws organizations update-policy --policy-id=p-1234 --content='/);
    expect(planFix(request, account, { createdAt: CREATED })).toMatchObject({ applicable: false });
  });
});
