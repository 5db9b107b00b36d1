/**
 * No fix is offered on faith: each is replayed by the what-if on the same snapshot; changes needed together
 * are one fix; what the replay cannot confirm says "Unverified".
 */
import { readFileSync } from 'node:fs';
import { diagnose, parseEvent, parseSnapshot, readEventDocument, type Statement } from '../../lambda';
import { applyPolicyPatch } from '../../lambda/model/applyPolicyPatch';
import { patchesOf } from '../../lambda/model/patchesOf';
import { whatIf } from '../../lambda/whatIf/whatIf';
import { planFix } from '../../lambda/remediate/planFix';
import { BUCKET, OTHER_ACCOUNT, partnerUpload, policy, roleIdentity, s3Record, snapshot } from '../factories';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import { OWN_SCENARIOS, SHARED_SCENARIOS } from '../helpers/paths';
import { loadScenarios } from '../helpers/scenarios';

describe('every fix of every worked scenario', () => {
  const scenarios = [...loadScenarios(SHARED_SCENARIOS), ...loadScenarios(OWN_SCENARIOS)].filter((s) => !s.expected.exitCode);
  it.each(scenarios.map((s) => [s.name, s] as const))('is confirmed by the what-if, or says it is not: %s', (_name, scenario) => {
    const request = parseEvent(readEventDocument(readFileSync(scenario.event))).requests[0]!;
    const account = parseSnapshot(JSON.parse(readFileSync(scenario.snapshot, 'utf8')));
    for (const fix of diagnose(request, account).fixes) {
      if (fix.summary.startsWith('Unverified: ')) continue;
      const change = { policyPatches: patchesOf(fix), ...(fix.requestChange ? { requestChange: fix.requestChange } : {}) };
      expect(whatIf(request, account, change).resolved).toBe(true);
    }
  });
});

describe('a cross-account upload that neither side allows', () => {
  const { account } = partnerUpload();
  account.principal.policies = [];
  const request = parseEvent(s3Record({ userIdentity: roleIdentity(OTHER_ACCOUNT, 'PartnerDelivery', 'deliver-7') })).requests[0]!;
  const [fix, ...rest] = diagnose(request, account).fixes;

  it('is one fix carrying both grants, verified together', () => {
    expect(patchesOf(fix!).map((p) => p.layer)).toEqual(['bucket-policy', 'identity-policy']);
    expect(fix!.summary).toMatch(/^2 changes, needed together: \(1\) Add a statement .* \(2\) Add a statement /);
    expect(whatIf(request, account, { policyPatches: patchesOf(fix!) }).resolved).toBe(true);
    // Either grant alone leaves the upload denied.
    for (const patch of patchesOf(fix!)) expect(whatIf(request, account, { policyPatches: [patch] }).resolved).toBe(false);
  });

  it('does not offer the same pair again in the other order', () => {
    expect(rest).toEqual([]);
  });

  it('has a command for each account, each marked with who runs it', () => {
    expect(fix!.command?.split('\n').filter((line) => line.startsWith('# '))).toEqual([
      '# bucket-owner, in account 555566667777',
      '# account-admin, in account 888899990000',
    ]);
  });
});

describe('a partner’s upload that needs its header and the bucket owner’s grant', () => {
  const { account } = partnerUpload();
  account.bucket.policy = policy({
    Sid: 'RequireBucketOwnerFullControl',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${BUCKET}/*`,
    Condition: { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
  });
  account.bucket.objectOwnership = 'BucketOwnerPreferred';
  // The bucket ACL grants WRITE to its owner alone: only the bucket policy could let the partner in.
  account.bucket.acl = {
    grants: [{ grantee: { type: 'CanonicalUser', id: account.bucket.ownerCanonicalId! }, permission: 'FULL_CONTROL' }],
  };
  const request = parseEvent(s3Record({ userIdentity: roleIdentity(OTHER_ACCOUNT, 'PartnerDelivery', 'deliver-7') })).requests[0]!;
  const fixes = diagnose(request, account).fixes;

  it('is one fix carrying both, verified together; neither alone lets it through', () => {
    const [fix] = fixes;
    expect(fix).toMatchObject({ requestChange: { setHeaders: { 'x-amz-acl': 'bucket-owner-full-control' } } });
    expect(patchesOf(fix!).map((p) => p.layer)).toEqual(['bucket-policy']);
    expect(whatIf(request, account, { policyPatches: patchesOf(fix!), requestChange: fix!.requestChange! }).resolved).toBe(true);
    expect(whatIf(request, account, { requestChange: fix!.requestChange! }).resolved).toBe(false);
    expect(whatIf(request, account, { policyPatches: patchesOf(fix!) }).resolved).toBe(false);
  });

  it('offers no fix that leaves the upload denied', () => {
    for (const fix of fixes) expect(fix.summary).not.toMatch(/^Unverified/);
  });
});

describe('a fix whose changes all go to one policy', () => {
  // A partner's upload that also grants a read to another account: the bucket policy must allow both
  // s3:PutObject and s3:PutObjectAcl, two grants to one document.
  const { account } = partnerUpload();
  account.principal.policies = [
    {
      source: 'inline',
      name: 'deliver',
      document: policy({ Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl'], Resource: '*' }),
    },
  ];
  account.bucket.objectOwnership = 'ObjectWriter';
  account.bucket.publicAccessBlock = {
    blockPublicAcls: false,
    ignorePublicAcls: false,
    blockPublicPolicy: true,
    restrictPublicBuckets: true,
  };
  account.bucket.acl = {
    grants: [{ grantee: { type: 'CanonicalUser', id: account.bucket.ownerCanonicalId! }, permission: 'FULL_CONTROL' }],
  };
  const request = parseEvent(
    s3Record(
      { userIdentity: roleIdentity(OTHER_ACCOUNT, 'PartnerDelivery', 'deliver-7') },
      { 'x-amz-grant-read': 'id="auditor-canonical-id"' },
    ),
  ).requests[0]!;
  const [fix] = diagnose(request, account).fixes;

  it('writes both grants in one document: one patch, one command, one plan step', () => {
    expect(patchesOf(fix!).map((p) => [p.layer, p.Statement.map((s) => s.Action)])).toEqual([
      ['bucket-policy', ['s3:PutObject', 's3:PutObjectAcl']],
    ]);
    expect(fix!.command?.match(/put-bucket-policy/g)).toHaveLength(1);
    expect(whatIf(request, account, { policyPatches: patchesOf(fix!) }).resolved).toBe(true);
    const plan = planFix(request, account, { createdAt: '2026-12-04T00:00:00Z' });
    expect(plan).toMatchObject({ applicable: true });
    expect(plan.steps).toHaveLength(1);
  });
});

describe('a partner that a bucket policy allowlist leaves out and no statement grants', () => {
  const { record, account } = partnerUpload();
  const allowlist: Statement = {
    Sid: 'OnlyApproved',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${BUCKET}/*`,
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::555566667777:role/MediaIngest` } },
  };
  account.bucket.policy = policy(allowlist);
  const request = parseEvent(record).requests[0]!;
  const [fix] = diagnose(request, account).fixes;
  const written = () => [...(fix?.command ?? '').matchAll(/--policy='([^']*)'/g)].map((m) => JSON.parse(m[1]!) as unknown);

  it('needs the exemption and the grant together, two edits of one policy', () => {
    expect(patchesOf(fix!).map((p) => [p.layer, p.replaceStatement?.sid])).toEqual([
      ['bucket-policy', 'OnlyApproved'],
      ['bucket-policy', undefined],
    ]);
  });

  it('writes the policy once, with both edits: the document the what-if proved', () => {
    const proved = patchesOf(fix!).reduce(applyPolicyPatch, account).bucket.policy;
    expect(written()).toEqual([proved]);
    expect(whatIf(request, account, { policyPatches: patchesOf(fix!) }).resolved).toBe(true);
  });
});

describe('a fix the what-if can prove only on the layers it could read', () => {
  const request = parseEvent(s3Record()).requests[0]!;
  const withoutGrant = (unseen: AccountSnapshot['unseen']) => {
    const account = snapshot({ unseen });
    account.principal.policies = [];
    return account;
  };

  it('names what was not read and could still deny the request', () => {
    const unseen = [{ layer: 'scp', reason: 'AccessDenied on organizations:ListPoliciesForTarget' }];
    const [fix] = diagnose(request, withoutGrant(unseen)).fixes;
    expect(fix?.summary).toMatch(
      /^Add a statement allowing s3:PutObject .*\(Proved on every layer that could be read; not read, and able to deny it still: a service control policy \(SCP\)\.\)$/,
    );
  });

  it('says nothing more when every layer was read', () => {
    const [fix] = diagnose(request, withoutGrant([])).fixes;
    expect(fix?.summary).not.toContain('Proved on');
  });
});
