/**
 * `fix plan` from real record shapes and snapshots: complete documents, a precondition hash of what they
 * replace, a rollback, the what-if proof, and `applicable: false` with a reason wherever the service must
 * not or cannot write.
 */
import { readFileSync } from 'node:fs';
import { diagnose, parseEvent, parseSnapshot, readEventDocument, type Statement } from '../../lambda';
import { planFix } from '../../lambda/remediate/planFix';
import { planStep } from '../../lambda/remediate/planStep';
import { documentSha256 } from '../../lambda/remediate/documentSha256';
import { ACCOUNT, ALLOW_PUT, OTHER_ACCOUNT, partnerUpload, policy, s3Record, snapshot, TLS_ONLY } from '../factories';
import { OWN_SCENARIOS, SHARED_SCENARIOS } from '../helpers/paths';
import { loadScenarios } from '../helpers/scenarios';
import { planSchemaErrors } from '../helpers/schema';
import { snapshotAfter } from './snapshotAfter';
import { stepDiff } from '../../lambda/remediate/documentDiff';
import { listOf } from '../../lambda/policy/listOf';

const CREATED = '2026-12-02T10:00:00Z';
const requestOf = (record: Record<string, unknown>) => parseEvent(record).requests[0]!;

describe('a plan for a missing bucket policy grant (a caller in another account)', () => {
  const existing = TLS_ONLY;
  const partner = partnerUpload();
  const request = requestOf(partner.record);
  const account = partner.account;
  const plan = planFix(request, account, { createdAt: CREATED });

  it('is applicable, follows the contract, and puts the whole bucket policy', async () => {
    expect(await planSchemaErrors(plan)).toEqual([]);
    // The contract's formats are checked: a creation time that is no RFC 3339 date-time is refused.
    expect(await planSchemaErrors({ ...plan, createdAt: 'yesterday' })).toEqual(['/createdAt must match format "date-time"']);
    expect(plan).toMatchObject({ applicable: true, verdictBefore: 'implicit-deny', verdictAfter: 'not-reproduced' });
    // The job's next upload into the same folder is what the grant is for, and the only neighbour it lets in.
    expect(plan.alsoAllows).toEqual([
      {
        principal: request.caller.sessionArn,
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::contoso-media-uploads/incoming/2026/why-denied-probe-next',
        intended: true,
      },
    ]);
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({
      service: 's3',
      action: 'PutBucketPolicy',
      account: ACCOUNT,
      target: 'arn:aws:s3:::contoso-media-uploads',
    });
  });

  it('keeps every existing statement, Sid and condition, and adds one grant naming the caller', () => {
    const document = JSON.parse(plan.steps[0]!.parameters.Policy as string) as { Statement: Statement[] };
    expect(document.Statement[0]).toEqual(existing);
    expect(document.Statement).toHaveLength(2);
    expect(document.Statement[1]).toMatchObject({
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::contoso-media-uploads/incoming/2026/*',
      Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:role/PartnerDelivery` },
    });
    expect(plan.steps[0]!.parameters).toMatchObject({ Bucket: 'contoso-media-uploads', ExpectedBucketOwner: ACCOUNT });
  });

  it('pins the document it replaces and can put it back', () => {
    expect(plan.steps[0]!.precondition.documentSha256).toBe(documentSha256(policy(existing)));
    expect(plan.steps[0]!.rollback).toEqual({
      action: 'PutBucketPolicy',
      parameters: { Bucket: 'contoso-media-uploads', ExpectedBucketOwner: ACCOUNT, Policy: JSON.stringify(policy(existing)) },
    });
  });

  it('is deterministic: the same input gives the same plan and id', () => {
    expect(planFix(request, account, { createdAt: CREATED })).toEqual(plan);
  });

  it('deletes the policy on rollback when there was none', () => {
    const none = planFix(request, { ...account, bucket: { ...account.bucket, policy: null } }, { createdAt: CREATED });
    expect(none.steps[0]!.precondition.documentSha256).toBeNull();
    expect(none.steps[0]!.rollback).toEqual({
      action: 'DeleteBucketPolicy',
      parameters: { Bucket: 'contoso-media-uploads', ExpectedBucketOwner: ACCOUNT },
    });
  });

  it('refuses to build on a current policy that is not an IAM policy', () => {
    const patch = { layer: 'bucket-policy' as const, Statement: [ALLOW_PUT] };
    const broken = { ...account, bucket: { ...account.bucket, policy: { Statement: [{ Effect: 'Allow', Resource: [['x']] }] } as never } };
    expect(planStep(patch, request, broken)).toEqual({
      reason: expect.stringMatching(/is not a valid IAM policy \(Statement\[0\]\.Resource/),
    });
  });
});

describe('a plan whose fix edits one bucket policy twice (an allowlist exemption and a grant)', () => {
  const partner = partnerUpload();
  const request = requestOf(partner.record);
  const original = policy({
    Sid: 'OnlyApproved',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: 'arn:aws:s3:::contoso-media-uploads/*',
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/MediaIngest` } },
  });
  const account = { ...partner.account, bucket: { ...partner.account.bucket, policy: original } };
  const plan = planFix(request, account, { createdAt: CREATED });

  // Every precondition is checked before the first write: a second step built on today's document would be
  // refused as drift once the first was written, or, written, would undo it.
  it('is one step writing the policy with both edits, from the document as it is today', () => {
    expect(plan.applicable).toBe(true);
    expect(plan.steps).toHaveLength(1);
    const document = JSON.parse(plan.steps[0]!.parameters.Policy as string) as { Statement: Statement[] };
    expect(document.Statement.map((s) => s.Sid)).toEqual(['OnlyApproved', 'WhyDeniedPutObject']);
    expect(document.Statement[0]?.Condition).toEqual({
      ArnNotEquals: {
        'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/MediaIngest`, `arn:aws:iam::${OTHER_ACCOUNT}:role/PartnerDelivery`],
      },
    });
    expect(plan.steps[0]!.precondition.documentSha256).toBe(documentSha256(original));
    expect(plan.verdictAfter).toBe('not-reproduced');
  });
});

describe('a plan for a partner that RestrictPublicBuckets refuses (the bucket policy is public)', () => {
  const scenario = `${OWN_SCENARIOS}/public-bucket-policy-restricted`;
  const request = parseEvent(readEventDocument(readFileSync(`${scenario}/event.json`))).requests[0]!;
  const account = parseSnapshot(JSON.parse(readFileSync(`${scenario}/snapshot.json`, 'utf8')));
  const plan = planFix(request, account, { createdAt: CREATED });

  it('pins the public statement to the owner’s account and grants the job, in one write the service may make', () => {
    expect(plan).toMatchObject({ applicable: true, verdictAfter: 'not-reproduced' });
    expect(plan.steps).toHaveLength(1);
    const document = JSON.parse(plan.steps[0]!.parameters.Policy as string) as { Statement: Statement[] };
    expect(document.Statement[0]).toMatchObject({
      Sid: 'PublicDropBox',
      Principal: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': '210987654321' } },
    });
    expect(document.Statement[1]).toMatchObject({ Principal: { AWS: 'arn:aws:iam::345678901234:role/PartnerDelivery' } });
    expect(plan.alsoAllows.every((n) => n.intended)).toBe(true);
  });
});

describe('a plan for a missing identity grant', () => {
  const request = requestOf(s3Record());
  const account = snapshot({ principal: { ...snapshot().principal, policies: [] } });
  const plan = planFix(request, account, { createdAt: CREATED });

  it('puts an inline policy on the role itself, and deletes it on rollback', async () => {
    expect(await planSchemaErrors(plan)).toEqual([]);
    expect(plan.applicable).toBe(true);
    expect(plan.steps[0]).toMatchObject({ service: 'iam', action: 'PutRolePolicy', region: null, parameters: { RoleName: 'MediaIngest' } });
    expect(plan.steps[0]!.rollback).toMatchObject({ action: 'DeleteRolePolicy', parameters: { RoleName: 'MediaIngest' } });
  });
});

describe('plans the service does not apply', () => {
  it('an explicit deny lifted by a request change: the uploader’s to make', async () => {
    const request = requestOf(s3Record({}, { 'x-amz-acl': 'public-read' }));
    const denied = snapshot(
      {},
      {
        policy: policy(ALLOW_PUT, {
          Sid: 'NoPublic',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: '*',
          Condition: { StringEquals: { 's3:x-amz-acl': 'public-read' } },
        }),
      },
    );
    const plan = planFix(request, denied, { createdAt: CREATED });
    expect(await planSchemaErrors(plan)).toEqual([]);
    expect(plan).toMatchObject({ applicable: false, steps: [], reason: expect.stringContaining('with no policy to change') });
  });

  it('a request the snapshot allows: nothing to change', () => {
    const plan = planFix(requestOf(s3Record()), snapshot(), { createdAt: CREATED });
    expect(plan).toMatchObject({
      applicable: false,
      verdictBefore: 'not-reproduced',
      reason: expect.stringContaining('nothing to change'),
    });
  });

  it('a fix number the diagnosis does not have', () => {
    const request = requestOf(s3Record());
    const plan = planFix(request, snapshot({ principal: { ...snapshot().principal, policies: [] } }), { createdAt: CREATED, fixIndex: 7 });
    expect(plan).toMatchObject({ applicable: false, reason: 'the diagnosis has no fix 7' });
  });
});

describe('every worked scenario', () => {
  const scenarios = [...loadScenarios(OWN_SCENARIOS), ...loadScenarios(SHARED_SCENARIOS)].filter((s) => !s.expected.exitCode);

  it.each(scenarios.map((s) => [s.name, s] as const))(
    'gives a plan within the contract, applicable only when proved: %s',
    async (_name, scenario) => {
      const request = parseEvent(readEventDocument(readFileSync(scenario.event))).requests[0]!;
      const plan = planFix(request, parseSnapshot(JSON.parse(readFileSync(scenario.snapshot, 'utf8'))), { createdAt: CREATED });
      expect(await planSchemaErrors(plan)).toEqual([]);
      if (plan.applicable) {
        expect({
          verdictAfter: plan.verdictAfter,
          unintended: plan.alsoAllows.filter((also) => !also.intended),
          steps: plan.steps.length,
        }).toEqual({ verdictAfter: 'not-reproduced', unintended: [], steps: 1 });
        for (const step of plan.steps) expect(['scp', 'rcp'].includes(step.service)).toBe(false);
        // Checked again from the plan's own documents, not from the what-if that proved it: the upload is
        // then allowed, and an object-level grant reaches no other object (the same upload of objects
        // elsewhere in the bucket, from a source elsewhere for a copy, stays as denied as it was).
        const before = parseSnapshot(JSON.parse(readFileSync(scenario.snapshot, 'utf8')));
        const after = snapshotAfter(plan, before);
        expect(diagnose(request, after).verdict).toBe('not-reproduced');
        // A Deny's edit spares the caller wherever the Deny reached: only an added grant is held to the object.
        const added = plan.steps.flatMap((step) => stepDiff(step).added);
        const objectLevel =
          added.length > 0 && added.every((a) => listOf((a as Statement).Resource).every((arn) => /^arn:[\w-]+:s3:::[^/]+\/./.test(arn)));
        const elsewhere = {
          ...request,
          key: `why-denied-neighbour/${request.key ?? 'object'}`,
          copySource: request.copySource && { ...request.copySource, key: `why-denied-neighbour/${request.copySource.key}` },
        };
        if (objectLevel && diagnose(elsewhere, before).verdict !== 'not-reproduced') {
          expect(diagnose(elsewhere, after).verdict).not.toBe('not-reproduced');
        }
        // The job's next upload beside this one goes through too: the grant is for the job, not one object.
        const folder = request.key?.slice(0, request.key.lastIndexOf('/') + 1);
        if (folder) expect(diagnose({ ...request, key: `${folder}the-next-upload.csv` }, after).verdict).toBe('not-reproduced');
      } else {
        expect(plan.reason).toEqual(expect.any(String));
        expect(plan.steps).toEqual([]);
      }
    },
  );
});
