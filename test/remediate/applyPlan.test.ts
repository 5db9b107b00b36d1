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
import { GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseEvent } from '../../lambda';
import type { RemediationPlan } from '../../lambda/model/remediationPlan';
import { type ApplySettings, applyPlan, type AuditEntry } from '../../lambda/remediate/applyPlan';
import { planFix } from '../../lambda/remediate/planFix';
import { DEFAULT_SENSITIVE_ACTIONS } from '../../lambda/remediate/runGuards';
import { rollbackPlan } from '../../lambda/remediate/rollbackPlan';
import { awsError } from '../collect/fakeAccount';
import { LiveBucketPolicy } from './liveBucketPolicy';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import type { Statement } from '../../lambda/policy/types';
import { ACCOUNT, ALLOW_PUT, OTHER_ACCOUNT, partnerUpload, policy, s3Record, snapshot, TLS_ONLY, withCustomerKey } from '../factories';

const s3 = mockClient(S3Client);
const iam = mockClient(IAMClient);
const kms = mockClient(KMSClient);
const analyzer = mockClient(AccessAnalyzerClient);
const clients = {
  s3: new S3Client({ region: 'us-west-2' }),
  iam: new IAMClient({ region: 'us-west-2' }),
  kms: () => new KMSClient({ region: 'us-west-2' }),
  ec2: new EC2Client({ region: 'us-west-2' }),
  analyzer: new AccessAnalyzerClient({ region: 'us-west-2' }),
};

const tlsOnly = TLS_ONLY;
const partner = partnerUpload();
const request = parseEvent(partner.record).requests[0]!;
const account = partner.account;
const plan = planFix(request, account, { createdAt: '2026-12-02T10:00:00Z' });

/** The account as the collectors would read it now: the snapshot with the live bucket policy. */
const liveAccount = (): AccountSnapshot => live.in(account);

/** An SCP on the partner's account that denies uploads: a layer no bucket policy change can get past. */
function withUploadsDeniedByScp(snapshotNow: AccountSnapshot): AccountSnapshot {
  const full = { Sid: 'FullAWSAccess', Effect: 'Allow' as const, Action: '*', Resource: '*' };
  const deny = { Sid: 'NoUploads', Effect: 'Deny' as const, Action: 's3:PutObject', Resource: '*' };
  return {
    ...snapshotNow,
    organization: {
      id: 'o-example',
      memberAccountIds: [OTHER_ACCOUNT],
      scpLevels: [
        { target: 'r-root', policies: [{ name: 'FullAWSAccess', document: policy(full) }] },
        {
          target: OTHER_ACCOUNT,
          policies: [
            { name: 'FullAWSAccess', document: policy(full) },
            { name: 'NoUploads', document: policy(deny) },
          ],
        },
      ],
    },
  };
}

/** The bucket policy as S3 keeps it: what GetBucketPolicy returns, what Put and Delete change. */
let live: LiveBucketPolicy;
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
    freshSnapshot: async () => liveAccount(),
    ...overrides,
  };
}

beforeEach(() => {
  live = new LiveBucketPolicy(policy(tlsOnly));
  audit = [];
  confirmed = true;
  s3.reset();
  live.serve(s3);
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
    live.document = JSON.stringify(
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

  it('goes on when a write took effect but AWS answered an error: what is live decides (#23)', async () => {
    s3.on(PutBucketPolicyCommand).callsFake(async (input: { Policy: string }) => {
      live.document = input.Policy;
      throw awsError('InternalError');
    });
    expect(await applyPlan(plan, settings())).toMatchObject({ result: 'applied' });
    expect(live.document).toBe(plan.steps[0]!.parameters.Policy);
    expect(audit.map((a) => a.event)).toEqual(['approved', 'applied']);
  });

  it('says a cross-account change is not verified when the diagnosis after could not see every layer (#23)', async () => {
    const hidden = (): AccountSnapshot => ({
      ...liveAccount(),
      unseen: [{ layer: 'identity-policy', reason: 'no read role in the partner account' }],
    });
    const outcome = await applyPlan(plan, settings({ freshSnapshot: async () => hidden() }));
    expect(outcome).toMatchObject({ result: 'applied', notVerified: 'identity-policy could not be read' });
    expect(audit.at(-1)!.detail).toContain('not verified: identity-policy could not be read');
  });

  it('rolls back and says so when the written policy does not read back as planned', async () => {
    s3.on(PutBucketPolicyCommand).callsFake(async (input: { Policy: string }) => {
      // Someone's automation rewrites the policy the moment it changes.
      live.document = input.Policy.includes('WhyDenied') ? JSON.stringify(policy(ALLOW_PUT)) : input.Policy;
      return {};
    });
    const outcome = await applyPlan(plan, settings());
    expect(outcome).toMatchObject({ result: 'rolled-back', reason: expect.stringContaining('did not read back as planned') });
    expect(live.document).toBe(JSON.stringify(policy(tlsOnly)));
    expect(audit.map((a) => a.event)).toEqual(['approved', 'rolled-back']);
  });
});

describe('fix apply diagnoses the request again on the account as it is now', () => {
  it('refuses a change the account no longer needs', async () => {
    // The role's own policy lacks the grant; by apply time someone attached a managed policy that has it.
    const sameAccount = snapshot({}, { policy: policy(TLS_ONLY) });
    sameAccount.principal.policies = [];
    const ownRequest = parseEvent(s3Record()).requests[0]!;
    const identityPlan = planFix(ownRequest, sameAccount, { createdAt: '2026-12-02T10:00:00Z' });
    expect(identityPlan.steps[0]?.action).toBe('PutRolePolicy');
    iam.reset();
    iam.on(GetRolePolicyCommand).rejects(awsError('NoSuchEntity'));
    const granted = {
      ...sameAccount,
      principal: { ...sameAccount.principal, policies: [{ source: 'managed' as const, name: 'Uploads', document: policy(ALLOW_PUT) }] },
    };
    const outcome = await applyPlan(identityPlan, settings({ freshSnapshot: async () => granted }));
    expect(outcome).toMatchObject({ result: 'refused', reason: expect.stringContaining('no longer needed') });
    expect(iam).not.toHaveReceivedCommand(PutRolePolicyCommand);
  });

  it('refuses a change that is no longer enough, and changes nothing', async () => {
    const outcome = await applyPlan(plan, settings({ freshSnapshot: async () => withUploadsDeniedByScp(liveAccount()) }));
    expect(outcome).toMatchObject({ result: 'refused', reason: expect.stringContaining('no longer enough') });
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
  });

  it('refuses a plan file whose document was edited after the plan was made', async () => {
    const step = plan.steps[0]!;
    const document = JSON.parse(step.parameters.Policy as string);
    document.Statement.push({ Sid: 'Sneaked', Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 's3:*', Resource: '*' });
    const edited: RemediationPlan = { ...plan, steps: [{ ...step, parameters: { ...step.parameters, Policy: JSON.stringify(document) } }] };
    expect(await applyPlan(edited, settings())).toMatchObject({
      result: 'refused',
      reason: expect.stringContaining('the plan was edited after it was made'),
    });
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
  });

  it('refuses a plan that does not carry the request it was made for', async () => {
    const withoutRequest: RemediationPlan = { ...plan };
    delete withoutRequest.request;
    expect(await applyPlan(withoutRequest, settings())).toMatchObject({
      result: 'refused',
      reason: expect.stringContaining('does not carry'),
    });
    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
  });

  it('rolls back a change that does not let the request through, and says why', async () => {
    // An SCP lands between the check before and the check after: the written policy is right, yet the request is still denied.
    let reads = 0;
    const freshSnapshot = async () => (++reads === 1 ? liveAccount() : withUploadsDeniedByScp(liveAccount()));
    const outcome = await applyPlan(plan, settings({ freshSnapshot }));
    expect(outcome).toMatchObject({ result: 'rolled-back', reason: expect.stringContaining('still denied with the change in place') });
    expect(live.document).toBe(JSON.stringify(policy(tlsOnly)));
    expect(audit.map((a) => a.event)).toEqual(['approved', 'rolled-back']);
  });
});

describe('a plan made offline and applied against the live account (#23)', () => {
  /** The same document, its keys in another order: as a collected snapshot and a live read may differ. */
  const reordered = (statement: Record<string, unknown>) => Object.fromEntries(Object.entries(statement).reverse());

  it('applies when the live document differs from the snapshot’s only in key order', async () => {
    const offline = planFix(request, account, { createdAt: '2026-12-02T10:00:00Z' });
    live = new LiveBucketPolicy({ Statement: [reordered(tlsOnly as unknown as Record<string, unknown>)], Version: '2012-10-17' });
    live.serve(s3);
    const outcome = await applyPlan(offline, settings());
    expect(outcome).toMatchObject({ result: 'applied' });
  });

  it('applies a key policy grant made offline when the live key policy lists its keys in another order', async () => {
    const admins: Statement = {
      Sid: 'Admins',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` },
      Action: 'kms:*',
      Resource: '*',
    };
    const keyPolicy = policy(admins);
    const offlineAccount = withCustomerKey(keyPolicy);
    offlineAccount.principal.policies = [
      { source: 'inline', name: 'all', document: policy({ Effect: 'Allow', Action: ['s3:PutObject', 'kms:*'], Resource: '*' }) },
    ];
    const uploader = parseEvent(s3Record()).requests[0]!;
    const offline = planFix(uploader, offlineAccount, { createdAt: '2026-12-02T10:00:00Z' });
    expect(offline.steps[0]).toMatchObject({ action: 'PutKeyPolicy' });
    let liveKey = JSON.stringify({
      Statement: [reordered(admins as unknown as Record<string, unknown>)],
      Version: '2012-10-17',
    });
    kms.reset();
    kms.on(GetKeyPolicyCommand).callsFake(async () => ({ Policy: liveKey }));
    kms.on(PutKeyPolicyCommand).callsFake(async (input: { Policy: string }) => {
      liveKey = input.Policy;
      return {};
    });
    const fresh = async () => ({ ...offlineAccount, kmsKeys: [{ ...offlineAccount.kmsKeys![0]!, policy: JSON.parse(liveKey) }] });
    expect(await applyPlan(offline, settings({ freshSnapshot: fresh }))).toMatchObject({ result: 'applied' });
    expect(liveKey).toBe(offline.steps[0]!.parameters.Policy);
  });

  it('still refuses a plan whose content was edited, whatever its key order', async () => {
    const edited = { ...plan, steps: [{ ...plan.steps[0]!, target: 'arn:aws:s3:::another-bucket' }] };
    expect(await applyPlan(edited, settings())).toMatchObject({ result: 'refused', reason: expect.stringContaining('edited') });
  });
});

describe('fix rollback', () => {
  it('restores the previous policy when the live one is still the applied one', async () => {
    await applyPlan(plan, settings());
    expect(await rollbackPlan(plan, settings())).toEqual({ result: 'rolled-back' });
    expect(live.document).toBe(JSON.stringify(policy(tlsOnly)));
  });

  it('refuses after someone else changed the policy, and overwrites nothing', async () => {
    await applyPlan(plan, settings());
    live.document = JSON.stringify(
      policy(tlsOnly, { Sid: 'TheirChange', Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 's3:GetObject', Resource: '*' }),
    );
    const after = live.document;
    expect(await rollbackPlan(plan, settings())).toMatchObject({ result: 'refused' });
    expect(live.document).toBe(after);
  });

  it('deletes the policy when there was none before', async () => {
    live.document = null;
    const fresh = planFix(request, { ...account, bucket: { ...account.bucket, policy: null } }, { createdAt: '2026-12-02T10:00:00Z' });
    await applyPlan(fresh, settings());
    expect(await rollbackPlan(fresh, settings())).toEqual({ result: 'rolled-back' });
    expect(live.document).toBeNull();
  });
});
