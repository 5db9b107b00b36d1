import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  GetBucketAclCommand,
} from '@aws-sdk/client-s3';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeOrganizationCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  type PolicyTypeSummary,
} from '@aws-sdk/client-organizations';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import 'aws-sdk-client-mock-jest';
import { diagnose, parseEvent } from '../../lambda';
import { classifyAwsError } from '../../lambda/collect/awsErrors';
import type { OrganizationReading } from '../../lambda/collect/SharedOrganization';
import { collectSnapshot, type CollectorDeps } from '../../lambda/collect/collectSnapshot';
import { COLLECTOR_ACTIONS } from '../../lambda/collect/permissions';
import { RateLimitedError, RateLimiter, oneBudget } from '../../lambda/collect/RateLimiter';
import { TtlCache } from '../../lambda/collect/TtlCache';
import { DynamoOrganizationStore } from '../../lambda/collect/SharedOrganization';
import { type LocalDynamo, startLocalDynamo } from '../helpers/localDynamo';
import { ACCOUNT, BUCKET, OTHER_ACCOUNT, ROLE_ARN, roleIdentity, s3Record, snapshot } from '../factories';
import { answerFrom, aws, awsError, fakeClients, MANAGEMENT, resetAws } from './fakeAccount';

const request = parseEvent(s3Record()).requests[0]!;
const clients = fakeClients();

function deps(overrides: Partial<CollectorDeps> = {}): CollectorDeps {
  return {
    homeAccountId: ACCOUNT,
    region: 'us-east-1',
    clientsFor: (account) => (account === ACCOUNT ? clients : null),
    cache: new TtlCache(60_000),
    lookupBudget: oneBudget(new RateLimiter(2, 2_000)),
    now: () => new Date('2026-11-21T07:12:40Z'),
    ...overrides,
  };
}

beforeEach(() => {
  resetAws();
  answerFrom(snapshot(), request);
});

describe('collectSnapshot', () => {
  it('asks exactly what the request needs, of the bucket owner it expects', async () => {
    await collectSnapshot(request, deps());
    expect(aws.s3).toHaveReceivedCommandWith(GetBucketPolicyCommand, { Bucket: BUCKET, ExpectedBucketOwner: ACCOUNT });
    expect(aws.iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: 'MediaIngest' });
    expect(aws.cloudtrail).toHaveReceivedCommandWith(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }],
      StartTime: new Date('2026-11-21T06:55:00Z'),
      EndTime: new Date('2026-11-21T07:05:00Z'),
    });
    // ACLs are disabled on this bucket, so its ACL is not worth a call.
    expect(aws.s3).not.toHaveReceivedCommand(GetBucketAclCommand);
  });

  it('treats "not configured" answers as known absences, not as failures', async () => {
    const { snapshot: collected } = await collectSnapshot(request, deps());
    expect(collected.bucket.policy).toBeNull();
    expect(collected.organization).toBeNull();
    expect(collected.unseen).toEqual([]);
  });

  it.each([
    ['denied', 'AccessDenied', 's3:GetBucketPolicy access denied'],
    ['throttled past the SDK retries', 'SlowDown', 's3:GetBucketPolicy throttled after retries'],
    ['failing', 'InternalError', 's3:GetBucketPolicy failed'],
  ])('lists the bucket policy as unseen when %s, and keeps every other layer', async (_name, error, reason) => {
    aws.s3.on(GetBucketPolicyCommand).rejects(awsError(error));
    const { snapshot: collected } = await collectSnapshot(request, deps());
    expect(collected.unseen).toEqual([{ layer: 'bucket-policy', reason: expect.stringContaining(reason) }]);
    expect(collected.principal.policies).toHaveLength(1);
    expect(diagnose(request, collected).notVisible.map((n) => n.layer)).toContain('bucket-policy');
  });

  it('lists a malformed policy document as unseen instead of trusting it', async () => {
    aws.iam.on(GetRolePolicyCommand).resolves({ RoleName: 'MediaIngest', PolicyName: 'ingest', PolicyDocument: '%7B%22Statement%22%3A' });
    const { snapshot: collected } = await collectSnapshot(request, deps());
    expect(collected.unseen).toEqual([{ layer: 'identity-policy', reason: expect.stringContaining('not valid JSON') }]);
  });

  it('asks the shared organization table nothing once the container holds the organization (#26)', async () => {
    let sharedReads = 0;
    const store = new Map<string, OrganizationReading>();
    const shared = deps({
      sharedOrganization: {
        get: async (key) => {
          sharedReads += 1;
          return store.get(key) ?? null;
        },
        put: async (key, value) => {
          store.set(key, value);
        },
      },
    });
    const cold = await collectSnapshot(request, shared);
    const warm = await collectSnapshot(request, shared);
    expect(sharedReads).toBe(1);
    expect(warm.snapshot.organization).toEqual(cold.snapshot.organization);
  });

  it('follows pagination to the last page', async () => {
    aws.iam
      .on(ListRolePoliciesCommand)
      .resolvesOnce({ PolicyNames: ['ingest'], IsTruncated: true, Marker: 'page-2' })
      .resolvesOnce({ PolicyNames: ['extra'], IsTruncated: false });
    aws.iam
      .on(GetRolePolicyCommand, { PolicyName: 'extra' })
      .resolves({ RoleName: 'MediaIngest', PolicyName: 'extra', PolicyDocument: encodeURIComponent('{"Statement":[]}') });
    const { snapshot: collected } = await collectSnapshot(request, deps());
    expect(aws.iam).toHaveReceivedCommandWith(ListRolePoliciesCommand, { RoleName: 'MediaIngest', Marker: 'page-2' });
    expect(collected.principal.policies?.map((p) => p.name)).toEqual(['ingest', 'extra']);
  });

  it('costs no calls the second time, from the cache', async () => {
    const shared = deps();
    const cold = await collectSnapshot(request, shared);
    const warm = await collectSnapshot(request, shared);
    expect(cold.calls).toBeGreaterThan(5);
    expect(warm.calls).toBe(0);
    expect(warm.snapshot).toEqual(cold.snapshot);
  });

  it('says which layers it cannot see in an account it has no role for', async () => {
    const partner = parseEvent(s3Record({ userIdentity: { type: 'AWSAccount', principalId: 'AROAPARTNER:x', accountId: OTHER_ACCOUNT } }))
      .requests[0]!;
    const { snapshot: collected } = await collectSnapshot(partner, deps());
    expect(collected.unseen.map((u) => u.layer)).toEqual(['identity-policy', 'permissions-boundary', 'session-policy']);
    expect(collected.unseen[0]?.reason).toContain(`account ${OTHER_ACCOUNT} is not this deployment's`);
  });

  it.each([
    ['an AWS service', 'service-cloudtrail-delivery.json'],
    ['an anonymous caller', 'anonymous-put.json'],
  ])('reads no IAM identity for %s, and the diagnosis lists none of its caller-side layers as hidden: it has none', async (_name, file) => {
    const caller = parseEvent(JSON.parse(readFileSync(join(__dirname, '../fixtures/records', file), 'utf8'))).requests[0]!;
    const { snapshot: collected } = await collectSnapshot(caller, deps());
    expect(aws.iam).not.toHaveReceivedAnyCommand();
    const hidden = diagnose(caller, collected).notVisible.map((n) => n.layer);
    for (const layer of ['identity-policy', 'permissions-boundary', 'session-policy', 'scp']) expect(hidden).not.toContain(layer);
  });

  it.each([
    ['an AWS service', 'service-cloudtrail-delivery.json'],
    ['an anonymous caller', 'anonymous-put.json'],
  ])('reads the bucket of %s in the account the record was delivered to, when resources[] name no owner (#26)', async (_name, file) => {
    const record = JSON.parse(readFileSync(join(__dirname, '../fixtures/records', file), 'utf8')) as Record<string, unknown>;
    const withoutOwner = {
      ...record,
      resources: (record.resources as Record<string, unknown>[]).map((resource) =>
        Object.fromEntries(Object.entries(resource).filter(([field]) => field !== 'accountId')),
      ),
    };
    const caller = parseEvent(withoutOwner).requests[0]!;
    const { snapshot: collected } = await collectSnapshot(caller, deps());
    expect(aws.s3).toHaveReceivedCommandWith(GetBucketPolicyCommand, { ExpectedBucketOwner: ACCOUNT });
    expect(collected.bucket.accountId).toBe(ACCOUNT);
    expect(collected.unseen.map((u) => u.layer)).not.toEqual(expect.arrayContaining(['bucket-policy']));
  });

  it('records SCPs as unseen when this is not the management account', async () => {
    // A member account may describe its organization, not list its roots or walk it.
    aws.organizations.on(ListRootsCommand).rejects(awsError('AccessDeniedException'));
    aws.organizations.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-example' } });
    aws.organizations
      .on(ListParentsCommand)
      .rejects(awsError('AccessDeniedException', 'You don’t have permissions to access this resource.'));
    const { snapshot: collected } = await collectSnapshot(request, deps());
    expect(collected.unseen.map((u) => u.layer)).toEqual(['scp', 'rcp']);
  });

  it('reads Object Ownership and Block Public Access as the engine needs them', async () => {
    aws.s3.on(GetBucketOwnershipControlsCommand).rejects(awsError('OwnershipControlsNotFoundError'));
    aws.s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: { BlockPublicAcls: true } });
    // An upload that sets an ACL: Block Public Access can decide it.
    const withAcl = parseEvent(s3Record({}, { 'x-amz-acl': 'public-read' })).requests[0]!;
    const { snapshot: collected } = await collectSnapshot(withAcl, deps());
    expect(collected.bucket.objectOwnership).toBeNull();
    expect(collected.bucket.publicAccessBlock).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: false,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
    expect(aws.s3).toHaveReceivedCommand(GetBucketAclCommand);
  });
});

describe('RateLimiter', () => {
  it('spaces calls to the rate and refuses a wait longer than allowed', async () => {
    let now = 0;
    const waits: number[] = [];
    const limiter = new RateLimiter(
      2,
      1_000,
      () => now,
      async (ms) => {
        waits.push(ms);
      },
    );
    await limiter.take();
    await limiter.take();
    await limiter.take();
    expect(waits).toEqual([500, 1000]);
    await expect(limiter.take()).rejects.toBeInstanceOf(RateLimitedError);
    now = 10_000;
    await expect(limiter.take()).resolves.toBeUndefined();
  });
});

describe('the collector permissions', () => {
  it('are all read-only', () => {
    for (const action of COLLECTOR_ACTIONS) expect(action).toMatch(/^[a-z0-9]+:(Get|List|Describe|Lookup)/);
  });

  it.each([
    ['NoSuchBucketPolicy', 'missing'],
    ['NoSuchEntity', 'missing'],
    ['AccessDenied', 'denied'],
    ['ThrottlingException', 'throttled'],
    ['Boom', 'failed'],
  ])('classify %s as %s', (name, kind) => {
    expect(classifyAwsError(awsError(name))).toBe(kind);
  });
});

describe('the role ARN in snapshots', () => {
  it('is the one GetRole returns', async () => {
    expect((await collectSnapshot(request, deps())).snapshot.principal.arn).toBe(ROLE_ARN);
  });
});

describe('evidence from the KMS call S3 made', () => {
  const kmsBucket = snapshot(
    {},
    {
      defaultEncryption: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:aws:kms:us-west-2:555566667777:key/k1', bucketKeyEnabled: false },
    },
  );
  const failedKmsCall = {
    eventID: 'kms-1',
    errorCode: 'AccessDenied',
    errorMessage: `User: ${request.caller.sessionArn} is not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:us-west-2:555566667777:key/k1 because no resource-based policy allows the kms:GenerateDataKey action`,
    userIdentity: { arn: request.caller.sessionArn },
    requestParameters: { encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${BUCKET}/${request.key}` } },
  };

  it('finds the failed GenerateDataKey for a bare "Access Denied" and lets it decide a key policy it could not read', async () => {
    answerFrom(kmsBucket, request);
    aws.cloudtrail
      .on(LookupEventsCommand, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GenerateDataKey' }] })
      .resolves({
        Events: [
          { CloudTrailEvent: JSON.stringify(failedKmsCall) },
          { CloudTrailEvent: JSON.stringify({ ...failedKmsCall, userIdentity: { arn: 'someone-else' } }) },
        ],
      });
    aws.kms.on(GetKeyPolicyCommand).rejects(awsError('AccessDeniedException'));
    const { snapshot: collected } = await collectSnapshot(request, deps());
    expect(collected.evidence).toEqual([{ source: 'kms.amazonaws.com GenerateDataKey kms-1', errorMessage: failedKmsCall.errorMessage }]);
    const diagnosis = diagnose(request, collected);
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'kms-key-policy', action: 'kms:GenerateDataKey', policy: null });
    expect(diagnosis.confidence).toBe('likely');
  });

  it.each([
    [
      'a KMS error S3 passed on',
      { errorCode: 'KMS.DisabledException', errorMessage: 'arn:aws:kms:us-west-2:555566667777:key/k1 is disabled.' },
    ],
    ['expired credentials', { errorCode: 'ExpiredToken', errorMessage: 'The provided token has expired.' }],
  ])('does not look when the error code says what failed: %s', async (_what, error) => {
    const coded = parseEvent(s3Record(error)).requests[0]!;
    answerFrom(kmsBucket, coded);
    await collectSnapshot(coded, deps());
    expect(aws.cloudtrail).not.toHaveReceivedCommandWith(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GenerateDataKey' }],
    });
  });

  it('does not look when the record already says what denied it', async () => {
    const said = parseEvent(
      s3Record({
        errorMessage: `User: ${request.caller.sessionArn} is not authorized to perform: s3:PutObject because no identity-based policy allows the s3:PutObject action`,
      }),
    ).requests[0]!;
    answerFrom(kmsBucket, said);
    await collectSnapshot(said, deps());
    expect(aws.cloudtrail).not.toHaveReceivedCommandWith(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GenerateDataKey' }],
    });
  });
});

describe('the concurrency limit', () => {
  it('keeps at most Reading.CONCURRENCY AWS calls in flight for one snapshot', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = async <T>(value: T) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return value;
    };
    const { Reading } = await import('../../lambda/collect/Reading');
    const reading = new Reading(new TtlCache(60_000));
    await Promise.all(Array.from({ length: 30 }, (_, i) => reading.attempt('scp', 'test:Call', String(i), () => slow(i))));
    expect(most).toBe(Reading.CONCURRENCY);
  });
});

describe('the owner of a bucket the record does not name', () => {
  // The caller's copy of a cross-account upload: resources[] names the bucket but not its account.
  const hidden = parseEvent(s3Record({ resources: [{ type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` }] })).requests[0]!;

  it('is confirmed as the caller’s when the bucket reads with ExpectedBucketOwner set to it', async () => {
    const { snapshot: collected } = await collectSnapshot(hidden, deps());
    expect(collected.bucket.accountId).toBe(ACCOUNT);
  });

  it('is never assumed: a bucket unreadable as the caller’s is evaluated as another account’s, its layers not visible', async () => {
    aws.s3.on(GetBucketPolicyCommand).rejects(awsError('AccessDenied'));
    aws.s3.on(GetBucketOwnershipControlsCommand).rejects(awsError('AccessDenied'));
    const { snapshot: collected } = await collectSnapshot(hidden, deps());
    expect(collected.bucket.accountId).toBe('unknown');
    expect(collected.unseen).toContainEqual({ layer: 'bucket-policy', reason: expect.stringMatching(/probably another account's/) });
    const diagnosis = diagnose(hidden, collected);
    expect(diagnosis.request.context['s3:ResourceAccount']).toBeUndefined();
    expect(diagnosis.notVisible.map((n) => n.layer)).toContain('bucket-policy');
    expect(diagnosis.confidence).not.toBe('certain');
  });

  it('comes from the configured map, and is then asked of that account', async () => {
    const partnerClients = fakeClients();
    await collectSnapshot(
      hidden,
      deps({
        bucketOwners: { [BUCKET]: OTHER_ACCOUNT },
        clientsFor: (a) => (a === ACCOUNT || a === OTHER_ACCOUNT ? partnerClients : null),
      }),
    );
    expect(aws.s3).toHaveReceivedCommandWith(GetBucketPolicyCommand, { Bucket: BUCKET, ExpectedBucketOwner: OTHER_ACCOUNT });
  });
});

describe('the record that created the session', () => {
  const webIdentity = {
    eventName: 'AssumeRoleWithWebIdentity',
    requestParameters: {
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
    },
    responseElements: { assumedRoleUser: { arn: request.caller.sessionArn }, credentials: { accessKeyId: request.caller.accessKeyId } },
  };
  const byName = (eventName: string) => ({ LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: eventName }] });

  it('names managed session policies, which are read like any managed policy and cap the session', async () => {
    const readOnly = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
    const withManaged = { ...webIdentity, eventName: 'AssumeRole', requestParameters: { policyArns: [{ arn: readOnly }] } };
    aws.cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    aws.cloudtrail.on(LookupEventsCommand, byName('AssumeRole')).resolves({ Events: [{ CloudTrailEvent: JSON.stringify(withManaged) }] });
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }] };
    aws.iam
      .on(GetPolicyCommand, { PolicyArn: readOnly })
      .resolves({ Policy: { PolicyName: 'AmazonS3ReadOnlyAccess', DefaultVersionId: 'v3' } });
    aws.iam
      .on(GetPolicyVersionCommand, { PolicyArn: readOnly, VersionId: 'v3' })
      .resolves({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(document)) } });
    const { snapshot: collected } = await collectSnapshot(request, deps());
    expect(collected.session?.policies).toEqual([{ name: 'AmazonS3ReadOnlyAccess', arn: readOnly, document }]);
    expect(collected.unseen.map((u) => u.layer)).not.toContain('session-policy');
    const diagnosis = diagnose(request, collected);
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'session-policy', decision: 'implicit-deny' });
  });

  it('says which managed session policy it could not read', async () => {
    const custom = `arn:aws:iam::${ACCOUNT}:policy/ci-session`;
    const withManaged = { ...webIdentity, eventName: 'AssumeRole', requestParameters: { policyArns: [{ arn: custom }] } };
    aws.cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    aws.cloudtrail.on(LookupEventsCommand, byName('AssumeRole')).resolves({ Events: [{ CloudTrailEvent: JSON.stringify(withManaged) }] });
    aws.iam.on(GetPolicyCommand, { PolicyArn: custom }).rejects(awsError('AccessDenied'));
    const { snapshot: collected } = await collectSnapshot(request, deps());
    expect(collected.unseen.find((u) => u.layer === 'session-policy')?.reason).toMatch(/iam:GetPolicy access denied/);
  });

  it('is found among the web-identity sessions, in the global endpoint’s region when not in the request’s', async () => {
    aws.cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    aws.cloudtrail.on(LookupEventsCommand, byName('AssumeRoleWithWebIdentity')).callsFake(async function (
      this: unknown,
      _input: unknown,
      getClient: () => { config: { region: () => Promise<string> } },
    ) {
      const region = await getClient().config.region();
      return { Events: region === 'us-east-1' ? [{ CloudTrailEvent: JSON.stringify(webIdentity) }] : [] };
    });
    const inIreland = fakeClients('eu-west-1');
    const { snapshot: collected } = await collectSnapshot(request, deps({ region: 'eu-west-1', clientsFor: () => inIreland }));
    expect(collected.session?.policies?.[0]?.document.Statement).toEqual([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);
    for (const name of ['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']) {
      expect(aws.cloudtrail).toHaveReceivedCommandWith(LookupEventsCommand, byName(name));
    }
  });

  it('reads a federated user’s policies from the IAM user that called GetFederationToken', async () => {
    const userArn = `arn:aws:iam::${ACCOUNT}:user/Bob`;
    const federated = s3Record({
      userIdentity: {
        type: 'FederatedUser',
        principalId: `${ACCOUNT}:bob-export`,
        arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob-export`,
        accountId: ACCOUNT,
        accessKeyId: 'ASIAEXAMPLEFEDERATED',
        sessionContext: {
          sessionIssuer: { type: 'IAMUser', principalId: 'AIDAEXAMPLEBOB', arn: userArn, accountId: ACCOUNT, userName: 'Bob' },
          attributes: { creationDate: '2026-11-21T07:00:00Z', mfaAuthenticated: 'false' },
        },
      },
    });
    const request = parseEvent(federated).requests[0]!;
    const account = snapshot({ principal: { ...snapshot().principal, arn: userArn, kind: 'federated-user' } });
    resetAws();
    answerFrom(account, request);
    const { snapshot: collected } = await collectSnapshot(request, deps());
    expect(collected.principal).toMatchObject({ kind: 'federated-user', arn: userArn, policies: account.principal.policies });
    expect(collected.unseen.map((u) => u.layer)).not.toContain('identity-policy');
    expect(diagnose(request, collected).layers.find((l) => l.layer === 'identity-policy')?.result).toBe('allow');
  });

  it('looks for an IAM Identity Center session’s SAML record first, and finds it with one lookup', async () => {
    const ssoRole = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Uploaders_0123456789abcdef`;
    const identity = roleIdentity() as { sessionContext: { sessionIssuer: Record<string, unknown> } };
    const record = s3Record({
      userIdentity: {
        ...identity,
        sessionContext: { ...identity.sessionContext, sessionIssuer: { ...identity.sessionContext.sessionIssuer, arn: ssoRole } },
      },
    });
    const sso = parseEvent(record).requests[0]!;
    const saml = { ...webIdentity, eventName: 'AssumeRoleWithSAML' };
    aws.cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    aws.cloudtrail.on(LookupEventsCommand, byName('AssumeRoleWithSAML')).resolves({ Events: [{ CloudTrailEvent: JSON.stringify(saml) }] });
    const { snapshot: collected } = await collectSnapshot(sso, deps());
    expect(collected.session?.policies).toHaveLength(1);
    expect(aws.cloudtrail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input.LookupAttributes?.[0]?.AttributeValue)).toEqual([
      'AssumeRoleWithSAML',
    ]);
  });

  it('says which calls and regions it searched when none created the session: the request’s, not the home region', async () => {
    aws.cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    const inIreland = fakeClients('eu-west-1');
    const { snapshot: collected } = await collectSnapshot(request, deps({ region: 'eu-west-1', clientsFor: () => inIreland }));
    expect(collected.unseen).toContainEqual({
      layer: 'session-policy',
      reason: expect.stringMatching(/AssumeRole\/AssumeRoleWithWebIdentity\/AssumeRoleWithSAML record .* in us-west-2 or us-east-1/),
    });
  });
});

describe('a member account, which Organizations refuses', () => {
  it('asks once per container, and says once where to deploy to see SCPs and RCPs', async () => {
    aws.organizations.on(ListRootsCommand).rejects(awsError('AccessDeniedException'));
    aws.organizations.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-member' } });
    aws.organizations.on(ListParentsCommand).rejects(awsError('AccessDeniedException'));
    const shared = deps({ cache: new TtlCache(60_000) });
    const first = await collectSnapshot(request, shared);
    const callsAfterFirst = aws.organizations.calls().length;
    const second = await collectSnapshot(request, shared);
    expect(aws.organizations.calls().length).toBe(callsAfterFirst);
    expect(second.calls).toBe(0);
    for (const collected of [first.snapshot, second.snapshot]) {
      expect(collected.unseen).toContainEqual({
        layer: 'scp',
        reason: expect.stringMatching(/management account or a delegated administrator/),
      });
    }
    const diagnosis = diagnose(request, second.snapshot);
    expect(diagnosis.notVisible.filter((n) => /management account/.test(n.reason))).toHaveLength(1);
  });
});

const ROOT_ARN = `arn:aws:organizations::${MANAGEMENT}:root/o-example000/r-root`;
const BOTH_ENABLED: PolicyTypeSummary[] = [
  { Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' },
  { Type: 'RESOURCE_CONTROL_POLICY', Status: 'ENABLED' },
];

describe('the organization shared between containers', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startLocalDynamo('shared-org');
  });
  afterAll(() => dynamo.stop());

  it('reads every level’s policies at once once the hierarchy is known (#26)', async () => {
    aws.organizations.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-root', Arn: ROOT_ARN, PolicyTypes: BOTH_ENABLED }] });
    aws.organizations.on(ListParentsCommand, { ChildId: ACCOUNT }).resolves({ Parents: [{ Id: 'ou-b', Type: 'ORGANIZATIONAL_UNIT' }] });
    aws.organizations.on(ListParentsCommand, { ChildId: 'ou-b' }).resolves({ Parents: [{ Id: 'ou-a', Type: 'ORGANIZATIONAL_UNIT' }] });
    aws.organizations.on(ListParentsCommand, { ChildId: 'ou-a' }).resolves({ Parents: [{ Id: 'r-root', Type: 'ROOT' }] });
    let inFlight = 0;
    let most = 0;
    aws.organizations.on(ListPoliciesForTargetCommand).callsFake(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { Policies: [] };
    });
    const { snapshot: collected } = await collectSnapshot(request, deps({ cache: new TtlCache(60_000) }));
    expect(collected.organization?.scpLevels?.map((l) => l.target)).toEqual([
      'r-root (Root)',
      'ou-a (OU)',
      'ou-b (OU)',
      `${ACCOUNT} (account)`,
    ]);
    // Four levels of SCPs and four of RCPs: read together, not one level after another.
    expect(most).toBeGreaterThanOrEqual(4);
  });

  it('is read from Organizations by the first container only', async () => {
    aws.organizations.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-root', Arn: ROOT_ARN, PolicyTypes: BOTH_ENABLED }] });
    aws.organizations.on(ListParentsCommand).resolves({ Parents: [{ Id: 'r-root', Type: 'ROOT' }] });
    aws.organizations.on(ListPoliciesForTargetCommand).resolves({ Policies: [] });
    const store = new DynamoOrganizationStore(dynamo.client, 'shared-org', 900);
    const first = await collectSnapshot(request, deps({ sharedOrganization: store, cache: new TtlCache(60_000) }));
    const orgCalls = aws.organizations.calls().length;
    expect(orgCalls).toBeGreaterThan(0);
    // A new container: its own cache is empty, the table is not.
    const second = await collectSnapshot(request, deps({ sharedOrganization: store, cache: new TtlCache(60_000) }));
    expect(aws.organizations.calls().length).toBe(orgCalls);
    expect(second.snapshot.organization).toEqual(first.snapshot.organization);
    expect(second.calls).toBe(first.calls - orgCalls);
  });
});
