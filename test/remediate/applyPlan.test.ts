/**
 * `fix apply` and `fix rollback` against a bucket whose policy lives in a fake kept by aws-sdk-client-mock:
 * each refusal (drift, guard, no confirmation, a second apply), the verification after writing, and a
 * rollback that never overwrites someone else's change.
 */
import {
  AccessAnalyzerClient,
  CheckAccessNotGrantedCommand,
  CheckNoPublicAccessCommand,
  ValidatePolicyCommand,
} from '@aws-sdk/client-accessanalyzer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseEvent } from '../../lambda';
import type { RemediationPlan } from '../../lambda/model/remediationPlan';
import { type ApplySettings, applyPlan, type AuditEntry } from '../../lambda/remediate/applyPlan';
import { planFix } from '../../lambda/remediate/planFix';
import { DEFAULT_SENSITIVE_ACTIONS } from '../../lambda/remediate/runGuards';
import { rollbackPlan } from '../../lambda/remediate/rollbackPlan';
import { awsError } from '../collect/fakeAccount';
import { ALLOW_PUT, partnerUpload, policy, TLS_ONLY } from '../factories';

const s3 = mockClient(S3Client);
const analyzer = mockClient(AccessAnalyzerClient);
const clients = {
  s3: new S3Client({ region: 'us-west-2' }),
  iam: new IAMClient({ region: 'us-west-2' }),
  kms: new KMSClient({ region: 'us-west-2' }),
  ec2: new EC2Client({ region: 'us-west-2' }),
  analyzer: new AccessAnalyzerClient({ region: 'us-west-2' }),
};

const tlsOnly = TLS_ONLY;
const partner = partnerUpload();
const request = parseEvent(partner.record).requests[0]!;
const account = partner.account;
const plan = planFix(request, account, { createdAt: '2026-12-02T10:00:00Z' });

/** The bucket policy as S3 keeps it: what GetBucketPolicy returns, what Put and Delete change. */
let live: string | null;
let audit: AuditEntry[];
let confirmed: boolean;

function settings(overrides: Partial<ApplySettings> = {}): ApplySettings {
  return {
    clients,
    approver: 'alice@example.com',
    sensitiveActions: DEFAULT_SENSITIVE_ACTIONS,
    confirm: async () => confirmed,
    audit: async (entry) => {
      audit.push(entry);
    },
    now: () => new Date('2026-12-02T10:05:00Z'),
    ...overrides,
  };
}

beforeEach(() => {
  live = JSON.stringify(policy(tlsOnly));
  audit = [];
  confirmed = true;
  s3.reset();
  s3.on(GetBucketPolicyCommand).callsFake(async () => {
    if (live === null) throw awsError('NoSuchBucketPolicy');
    return { Policy: live };
  });
  s3.on(PutBucketPolicyCommand).callsFake(async (input: { Policy: string }) => {
    live = input.Policy;
    return {};
  });
  s3.on(DeleteBucketPolicyCommand).callsFake(async () => {
    live = null;
    return {};
  });
  analyzer.reset();
  analyzer.on(ValidatePolicyCommand).resolves({
    findings: [{ findingType: 'SUGGESTION', issueCode: 'EMPTY_ARRAY_ACTION', findingDetails: '', learnMoreLink: '', locations: [] }],
  });
  analyzer.on(CheckNoPublicAccessCommand).resolves({ result: 'PASS' });
  analyzer.on(CheckAccessNotGrantedCommand).resolves({ result: 'PASS' });
});

describe('fix apply', () => {
  it('writes exactly the approved document, reads it back, and records who approved what', async () => {
    const outcome = await applyPlan(plan, settings());
    expect(outcome).toMatchObject({
      result: 'applied',
      checks: [
        { name: 'ValidatePolicy', result: 'pass' },
        { name: 'CheckNoPublicAccess', result: 'pass' },
        { name: 'CheckAccessNotGranted', result: 'pass' },
      ],
    });
    expect(s3).toHaveReceivedCommandTimes(PutBucketPolicyCommand, 1);
    expect(s3).toHaveReceivedCommandWith(PutBucketPolicyCommand, plan.steps[0]!.parameters as never);
    expect(audit.map((a) => a.event)).toEqual(['approved', 'applied']);
    expect(audit[0]).toMatchObject({ approver: 'alice@example.com', before: [policy(tlsOnly)] });
  });

  it('checks only what the plan adds for public access and sensitive actions', async () => {
    await applyPlan(plan, settings());
    const publicCheck = analyzer.commandCalls(CheckNoPublicAccessCommand)[0]!.args[0].input;
    expect(JSON.parse(publicCheck.policyDocument!).Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: 's3:PutObject' }),
    ]);
    expect(publicCheck.resourceType).toBe('AWS::S3::Bucket');
  });

  it('refuses when the policy changed since the plan was made, and changes nothing', async () => {
    live = JSON.stringify(
      policy(tlsOnly, { Sid: 'Later', Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 's3:GetObject', Resource: '*' }),
    );
    const outcome = await applyPlan(plan, settings());
    expect(outcome).toMatchObject({ result: 'refused', reason: expect.stringContaining('changed since the plan was made') });
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
    expect(audit.map((a) => a.event)).toEqual(['refused']);
  });

  it('applies a plan at most once: the second apply finds the policy changed and refuses', async () => {
    await applyPlan(plan, settings());
    expect(await applyPlan(plan, settings())).toMatchObject({ result: 'refused' });
    expect(s3).toHaveReceivedCommandTimes(PutBucketPolicyCommand, 1);
  });

  it('refuses when Access Analyzer finds a security warning', async () => {
    analyzer.on(ValidatePolicyCommand).resolves({
      findings: [
        {
          findingType: 'SECURITY_WARNING',
          issueCode: 'PASS_ROLE_WITH_STAR_IN_RESOURCE',
          findingDetails: '',
          learnMoreLink: '',
          locations: [],
        },
      ],
    });
    const outcome = await applyPlan(plan, settings());
    expect(outcome).toMatchObject({
      result: 'refused',
      reason: expect.stringContaining('ValidatePolicy (SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE)'),
    });
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
  });

  it('refuses when the addition would make the bucket public or grant a sensitive action', async () => {
    analyzer.on(CheckNoPublicAccessCommand).resolves({ result: 'FAIL', message: 'grants public access' });
    expect(await applyPlan(plan, settings())).toMatchObject({
      result: 'refused',
      reason: expect.stringContaining('CheckNoPublicAccess (grants public access)'),
    });
    analyzer.on(CheckNoPublicAccessCommand).resolves({ result: 'PASS' });
    analyzer.on(CheckAccessNotGrantedCommand).resolves({ result: 'FAIL' });
    expect(await applyPlan(plan, settings())).toMatchObject({
      result: 'refused',
      reason: expect.stringContaining('CheckAccessNotGranted'),
    });
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
  });

  it('changes nothing without confirmation', async () => {
    confirmed = false;
    expect(await applyPlan(plan, settings())).toMatchObject({ result: 'refused', reason: 'not confirmed' });
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
  });

  it('never applies a plan that is not applicable', async () => {
    const notApplicable: RemediationPlan = { ...plan, applicable: false, reason: 'request-side fix', steps: [] };
    expect(await applyPlan(notApplicable, settings())).toMatchObject({ result: 'refused' });
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('rolls back and says so when the written policy does not read back as planned', async () => {
    s3.on(PutBucketPolicyCommand).callsFake(async (input: { Policy: string }) => {
      // Someone's automation rewrites the policy the moment it changes.
      live = input.Policy.includes('WhyDenied') ? JSON.stringify(policy(ALLOW_PUT)) : input.Policy;
      return {};
    });
    const outcome = await applyPlan(plan, settings());
    expect(outcome).toMatchObject({ result: 'rolled-back', reason: expect.stringContaining('did not read back as planned') });
    expect(live).toBe(JSON.stringify(policy(tlsOnly)));
    expect(audit.map((a) => a.event)).toEqual(['approved', 'rolled-back']);
  });
});

describe('fix rollback', () => {
  it('restores the previous policy when the live one is still the applied one', async () => {
    await applyPlan(plan, settings());
    expect(await rollbackPlan(plan, settings())).toEqual({ result: 'rolled-back' });
    expect(live).toBe(JSON.stringify(policy(tlsOnly)));
  });

  it('refuses after someone else changed the policy, and overwrites nothing', async () => {
    await applyPlan(plan, settings());
    live = JSON.stringify(
      policy(tlsOnly, { Sid: 'TheirChange', Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 's3:GetObject', Resource: '*' }),
    );
    const after = live;
    expect(await rollbackPlan(plan, settings())).toMatchObject({ result: 'refused' });
    expect(live).toBe(after);
  });

  it('deletes the policy when there was none before', async () => {
    live = null;
    const fresh = planFix(request, { ...account, bucket: { ...account.bucket, policy: null } }, { createdAt: '2026-12-02T10:00:00Z' });
    await applyPlan(fresh, settings());
    expect(await rollbackPlan(fresh, settings())).toEqual({ result: 'rolled-back' });
    expect(live).toBeNull();
  });
});
