/**
 * A grant is for the job, not the one object that failed: the next upload of the same folder passes, no
 * other folder does, and every character of the key is literal — `*`, `?` and `${…}` in a key never
 * become a wildcard or a policy variable in what the fix writes.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
 */
import { diagnose, parseEvent } from '../../lambda';
import type { Diagnosis } from '../../lambda/model/diagnosis';
import type { DeniedRequest } from '../../lambda/model/request';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import type { Statement } from '../../lambda/policy/types';
import { folderOf, jobScopeOf, literalInPolicy, wildcardFromKey } from '../../lambda/fixes/jobScope';
import { planFix, refusedGrant } from '../../lambda/remediate/planFix';
import { snapshotAfter } from '../remediate/snapshotAfter';
import { whatIf } from '../../lambda/whatIf/whatIf';
import { ACCOUNT, BUCKET, OTHER_ACCOUNT, partnerUpload, policy, roleIdentity, s3Record, snapshot, withCustomerKey } from '../factories';

const requestWithKey = (key: string, identity = roleIdentity()): DeniedRequest =>
  parseEvent(
    s3Record(
      {
        userIdentity: identity,
        resources: [
          { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${BUCKET}/${key}` },
          { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` },
        ],
      },
      { key },
    ),
  ).requests[0]!;

const withKey = (request: DeniedRequest, key: string): DeniedRequest => ({ ...request, key });

describe('the scope of a grant', () => {
  it.each<[string, string, string]>([
    ['daily/2026-11-20.csv', `arn:aws:s3:::${BUCKET}/daily/*`, `any object under daily/ in ${BUCKET}`],
    ['a/b/c.txt', `arn:aws:s3:::${BUCKET}/a/b/*`, `any object under a/b/ in ${BUCKET}`],
    ['report.csv', `arn:aws:s3:::${BUCKET}/report.csv`, `only the object report.csv in ${BUCKET}`],
    ['incoming/*', `arn:aws:s3:::${BUCKET}/incoming/*`, `any object under incoming/ in ${BUCKET}`],
    ['a*/x.csv', `arn:aws:s3:::${BUCKET}/a\${*}/*`, `any object under a*/ in ${BUCKET}`],
    ['q?/x.csv', `arn:aws:s3:::${BUCKET}/q\${?}/*`, `any object under q?/ in ${BUCKET}`],
    [
      'logs/${aws:username}/x.log',
      `arn:aws:s3:::${BUCKET}/logs/\${$}{aws:username}/*`,
      `any object under logs/\${aws:username}/ in ${BUCKET}`,
    ],
    ['a*', `arn:aws:s3:::${BUCKET}/a\${*}`, `only the object a* in ${BUCKET}`],
  ])('%s is granted as %s', (key, resource, breadth) => {
    expect(jobScopeOf('aws', BUCKET, key)).toEqual({ resource, breadth });
    expect(wildcardFromKey(resource)).toBe(false);
  });

  it('escapes in one pass, so an escape is never escaped again', () => {
    expect(literalInPolicy('${*}')).toBe('${$}{${*}}');
    expect(folderOf('x')).toBeNull();
  });

  it.each([`arn:aws:s3:::${BUCKET}/incoming/*/x`, `arn:aws:s3:::${BUCKET}/a?b`, `arn:aws:s3:::${BUCKET}/logs/\${aws:username}/*`])(
    'knows a wildcard that came from the key: %s',
    (resource) => expect(wildcardFromKey(resource)).toBe(true),
  );
});

const HOSTILE_KEYS = ['daily/2026-11-20.csv', 'incoming/*', 'a*/x.csv', 'q?/x.csv', 'logs/${aws:username}/x.log', 'a*'];

/** What the job's next upload is, and what an upload elsewhere is that a wildcard reading would reach. */
function neighboursOf(key: string): { next: string | null; elsewhere: string[] } {
  const folder = folderOf(key);
  const elsewhere = ['other-folder/x.csv', 'a-anything/x.csv', 'qZ/x.csv', 'logs/MediaIngest/x.log', 'abc'];
  return {
    next: folder === null ? null : `${folder}2026-11-21.csv`,
    elsewhere: elsewhere.filter((k) => folderOf(k) !== folder && k !== key),
  };
}

function expectJobGrant(request: DeniedRequest, account: AccountSnapshot, diagnosis: Diagnosis) {
  const fix = diagnosis.fixes.find((f) => f.policyPatch);
  expect(fix).toBeDefined();
  const patches = [fix!.policyPatch!];
  for (const statement of patches.flatMap((p) => p.Statement)) {
    for (const resource of [statement.Resource].flat()) if (typeof resource === 'string') expect(wildcardFromKey(resource)).toBe(false);
  }
  expect(whatIf(request, account, { policyPatches: patches })).toMatchObject({ resolved: true, broader: [] });
  const { next, elsewhere } = neighboursOf(request.key!);
  if (next) expect(whatIf(withKey(request, next), account, { policyPatches: patches }).resolved).toBe(true);
  for (const key of elsewhere) expect(whatIf(withKey(request, key), account, { policyPatches: patches }).resolved).toBe(false);
}

describe.each(HOSTILE_KEYS)('the key %s, taken literally in every grant path', (key) => {
  it('an identity policy grant', () => {
    const request = requestWithKey(key);
    const account = snapshot();
    account.principal.policies = [];
    const diagnosis = diagnose(request, account);
    expect(diagnosis.decidingLayers[0]?.layer).toBe('identity-policy');
    expectJobGrant(request, account, diagnosis);
  });

  it('a bucket policy grant to a partner account', () => {
    const { account } = partnerUpload();
    const request = requestWithKey(key, roleIdentity(OTHER_ACCOUNT, 'PartnerDelivery', 'deliver-7'));
    const diagnosis = diagnose(request, account);
    expect(diagnosis.decidingLayers[0]?.layer).toBe('bucket-policy');
    expectJobGrant(request, account, diagnosis);
  });

  it('a KMS key policy grant, scoped to the job’s objects through S3', () => {
    const request = requestWithKey(key);
    const account = withCustomerKey(
      policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` }, Action: 'kms:*', Resource: '*' }),
    );
    account.principal.policies = [
      { source: 'inline', name: 'all', document: policy({ Effect: 'Allow', Action: ['s3:PutObject', 'kms:*'], Resource: '*' }) },
    ];
    const diagnosis = diagnose(request, account);
    expect(diagnosis.decidingLayers[0]?.layer).toBe('kms-key-policy');
    expectJobGrant(request, account, diagnosis);
  });

  it('the plan that writes it, checked from its own document', () => {
    const { account } = partnerUpload();
    const request = requestWithKey(key, roleIdentity(OTHER_ACCOUNT, 'PartnerDelivery', 'deliver-7'));
    const plan = planFix(request, account, { createdAt: '2026-12-04T00:00:00Z' });
    expect(plan.applicable).toBe(true);
    const after = snapshotAfter(plan, account);
    expect(diagnose(request, after).verdict).toBe('not-reproduced');
    const { next, elsewhere } = neighboursOf(key);
    if (next) expect(diagnose(withKey(request, next), after).verdict).toBe('not-reproduced');
    for (const other of elsewhere) expect(diagnose(withKey(request, other), after).verdict).not.toBe('not-reproduced');
  });
});

describe('the plan’s own guard', () => {
  it.each([
    [`arn:aws:s3:::${BUCKET}/incoming/*/x.csv`, /holds a wildcard or policy variable inside the object key/],
    [`arn:aws:s3:::${BUCKET}/logs/\${aws:username}/*`, /holds a wildcard or policy variable inside the object key/],
    [`arn:aws:s3:::${BUCKET}/incoming/\${*}/*`, null],
  ])('refuses a grant on %s that a key’s wildcard reached, whatever proposed it', (resource, refused) => {
    const reason = refusedGrant(
      [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:role/r' }, Action: 's3:PutObject', Resource: resource }],
      ACCOUNT,
    );
    if (refused) expect(reason).toMatch(refused);
    else expect(reason).toBeNull();
  });

  it('refuses a grant to everyone unless StringEquals holds it to the bucket’s own account', () => {
    const everyone: Statement = { Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/drop/*` };
    const heldTo = (account: string): Statement => ({ ...everyone, Condition: { StringEquals: { 'aws:PrincipalAccount': account } } });
    expect(refusedGrant([everyone], ACCOUNT)).toMatch(/Principal": "\*"/);
    expect(refusedGrant([{ ...everyone, Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }], ACCOUNT)).toMatch(/Principal/);
    expect(refusedGrant([heldTo('*')], ACCOUNT)).toMatch(/Principal/);
    expect(refusedGrant([heldTo(OTHER_ACCOUNT)], ACCOUNT)).toMatch(/Principal/);
    expect(refusedGrant([heldTo(ACCOUNT)], ACCOUNT)).toBeNull();
  });
});
