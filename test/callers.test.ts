/**
 * Callers that are not IAM users or roles, from real record shapes (test/fixtures/records): an AWS service
 * delivering to a bucket, an unsigned request, and the bucket owner's copy of a cross-account call.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose, parseEvent, SnapshotError, type Statement } from '../lambda';
import type { Diagnosis } from '../lambda/model/diagnosis';
import { whatIf } from '../lambda/whatIf/whatIf';
import { ACCOUNT, ALLOW_PUT, BUCKET, OTHER_ACCOUNT, policy, ROLE_ARN, roleIdentity, s3Record, SESSION_ARN, snapshot } from './factories';

const record = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures/records', name), 'utf8')) as Record<string, unknown>;
const layer = (diagnosis: Diagnosis, name: string) => diagnosis.layers.find((l) => l.layer === name)?.result;
const CALLER_SIDE = ['identity-policy', 'permissions-boundary', 'session-policy', 'scp'];

/** What the collectors describe for a caller that is no IAM principal: no policies at all. */
const noIdentity = (kind: 'service' | 'anonymous') =>
  snapshot({ principal: { arn: null, kind, accountId: ACCOUNT, tags: {}, policies: [], permissionsBoundary: null } });

describe('an AWS service principal (userIdentity.type AWSService)', () => {
  const request = parseEvent(record('service-cloudtrail-delivery.json')).requests[0]!;
  const withPolicy = (...statements: Statement[]) =>
    snapshot({ principal: noIdentity('service').principal }, { policy: statements.length ? policy(...statements) : null });
  const serviceGrant: Statement = {
    Sid: 'AWSCloudTrailWrite',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    // AWS's own CloudTrail bucket policy: s3:PutObject alone for a bucket-owner-full-control delivery, which
    // grants no one else access and so needs no s3:PutObjectAcl (contract §1, revised 2026-12-04).
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`,
    Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
  };

  it('is the service principal, not the account it acts for', () => {
    expect(diagnose(request, withPolicy()).request).toMatchObject({ principalArn: 'cloudtrail.amazonaws.com', principalType: 'service' });
  });

  it('has no identity policies, boundary, session or SCPs: those layers do not apply', () => {
    const diagnosis = diagnose(request, withPolicy());
    for (const name of CALLER_SIDE) expect(layer(diagnosis, name)).toBe('not-applicable');
  });

  it('is denied by a bucket policy that grants it nothing, even in the bucket owner’s account', () => {
    const diagnosis = diagnose(request, withPolicy());
    expect(diagnosis.verdict).toBe('implicit-deny');
    expect(diagnosis.decidingLayers[0]?.layer).toBe('bucket-policy');
  });

  it('is not named by a grant to the account root', () => {
    const toAccount: Statement = { ...serviceGrant, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } };
    expect(diagnose(request, withPolicy(toAccount)).verdict).toBe('implicit-deny');
  });

  // RestrictPublicBuckets leaves a public policy to AWS service principals and the owner's account.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
  it('is not refused by RestrictPublicBuckets when the bucket policy is public', () => {
    const diagnosis = diagnose(request, withPolicy({ ...serviceGrant, Principal: '*' }));
    expect(layer(diagnosis, 'block-public-access')).toBe('allow');
    expect(diagnosis.verdict).toBe('not-reproduced');
    // Nor when the bucket belongs to another account than the one the record was delivered to (a central log bucket).
    const central = withPolicy({ ...serviceGrant, Principal: '*' });
    central.bucket.accountId = OTHER_ACCOUNT;
    expect(layer(diagnose(request, central), 'block-public-access')).toBe('allow');
  });

  it('is let through by a grant to its service principal', () => {
    expect(diagnose(request, withPolicy(serviceGrant)).verdict).toBe('not-reproduced');
  });

  it('gets a fix that grants the service principal, pinned to the account with aws:SourceAccount', () => {
    const fix = diagnose(request, withPolicy()).fixes[0];
    expect(fix?.policyPatch?.Statement[0]).toMatchObject({
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
  });

  it('says the source keys the service sent are not in the record, and is not certain when a decision rests on them', () => {
    const pinned: Statement = {
      ...serviceGrant,
      Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-west-2:555566667777:trail/org' } },
    };
    const diagnosis = diagnose(request, withPolicy(pinned));
    expect(diagnosis.notVisible).toContainEqual({ layer: 'bucket-policy', reason: expect.stringContaining('aws:SourceArn') });
    expect(diagnosis.confidence).not.toBe('certain');
  });
});

describe.each(['anonymous-put.json', 'anonymous-principal-put.json'])('an anonymous (unsigned) request (%s)', (file) => {
  const request = parseEvent(record(file)).requests[0]!;

  it('is never named as an account root (newer records write ANONYMOUS_PRINCIPAL as its account)', () => {
    const diagnosis = diagnose(request, noIdentity('anonymous'));
    expect(diagnosis.request.principalArn).not.toContain('ANONYMOUS_PRINCIPAL');
    expect(JSON.stringify(diagnosis)).not.toContain(':ANONYMOUS_PRINCIPAL:');
  });

  it('is typed anonymous, and only public grants apply to it', () => {
    const diagnosis = diagnose(request, noIdentity('anonymous'));
    expect(diagnosis.request.principalType).toBe('anonymous');
    for (const name of CALLER_SIDE) expect(layer(diagnosis, name)).toBe('not-applicable');
    expect(diagnosis.verdict).toBe('implicit-deny');
    expect(diagnosis.decidingLayers[0]?.layer).toBe('bucket-policy');
  });

  it('is told to sign the upload, never offered a public write grant', () => {
    const [fix] = diagnose(request, noIdentity('anonymous')).fixes;
    expect(fix).toMatchObject({ owner: 'uploader' });
    expect(fix?.policyPatch).toBeUndefined();
  });

  it('is not named by a grant to an account', () => {
    const toAccount: Statement = { ...ALLOW_PUT, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } };
    expect(diagnose(request, snapshot({ principal: noIdentity('anonymous').principal }, { policy: policy(toAccount) })).verdict).toBe(
      'implicit-deny',
    );
  });
});

describe('the bucket owner’s copy of a cross-account call (AWSAccount, no ARN in the message)', () => {
  const ownerCopy = s3Record({
    userIdentity: { type: 'AWSAccount', principalId: 'AROAEXAMPLEPARTNER:nightly', accountId: OTHER_ACCOUNT },
    errorMessage: 'Access Denied',
    recipientAccountId: ACCOUNT,
  });

  it('lists the caller’s own layers as not visible: they live in the other account', () => {
    const request = parseEvent(ownerCopy).requests[0]!;
    const diagnosis = diagnose(
      request,
      snapshot({
        principal: { arn: null, kind: 'account', accountId: OTHER_ACCOUNT, tags: {}, policies: null, permissionsBoundary: null },
      }),
    );
    for (const name of CALLER_SIDE) expect(layer(diagnosis, name)).toBe('not-visible');
    expect(diagnosis.decidingLayers[0]?.layer).toBe('bucket-policy');
  });
});

describe('what each caller-side layer says when the caller has none, or none in sight', () => {
  const detail = (diagnosis: Diagnosis, name: string) => diagnosis.layers.find((l) => l.layer === name)?.detail;
  const NOUNS: Record<string, string> = {
    'identity-policy': 'identity policies',
    'permissions-boundary': 'permissions boundary',
    'session-policy': 'session policy',
    scp: 'service control policies',
  };

  it.each(Object.entries(NOUNS))('%s: the service by name, or as "principal" when the record does not name it', (name, noun) => {
    const delivery = record('service-cloudtrail-delivery.json');
    const named = diagnose(parseEvent(delivery).requests[0]!, noIdentity('service'));
    expect(detail(named, name)).toBe(`the caller is the AWS service cloudtrail.amazonaws.com, which has no ${noun}`);
    const unnamed = { ...delivery, userIdentity: { ...(delivery.userIdentity as object), invokedBy: undefined } };
    const anyService = diagnose(parseEvent(unnamed).requests[0]!, noIdentity('service'));
    expect(detail(anyService, name)).toBe(`the caller is the AWS service principal, which has no ${noun}`);
  });

  it.each(Object.entries(NOUNS))('%s: an anonymous request has none', (name, noun) => {
    const diagnosis = diagnose(parseEvent(record('anonymous-put.json')).requests[0]!, noIdentity('anonymous'));
    expect(detail(diagnosis, name)).toBe(`the request was anonymous (unsigned), so it has no ${noun}`);
  });

  const ownerCopy = s3Record({
    userIdentity: { type: 'AWSAccount', principalId: 'AROAEXAMPLEPARTNER:nightly', accountId: OTHER_ACCOUNT },
    errorMessage: 'Access Denied',
    recipientAccountId: ACCOUNT,
  });

  it.each(Object.entries(NOUNS))('%s: the bucket owner’s copy names only the caller’s account', (name, noun) => {
    const diagnosis = diagnose(
      parseEvent(ownerCopy).requests[0]!,
      snapshot({
        principal: { arn: null, kind: 'account', accountId: OTHER_ACCOUNT, tags: {}, policies: null, permissionsBoundary: null },
      }),
    );
    expect(detail(diagnosis, name)).toBe(
      `the caller is in account ${OTHER_ACCOUNT}; this copy of the record names only that account, so its ${noun} cannot be seen from here`,
    );
  });

  it('evaluates the caller’s layers when the snapshot names the caller after all (a partner’s read role showed them)', () => {
    const partnerRole = `arn:aws:iam::${OTHER_ACCOUNT}:role/PartnerDelivery`;
    const diagnosis = diagnose(
      parseEvent(ownerCopy).requests[0]!,
      snapshot({
        principal: {
          arn: partnerRole,
          kind: 'role',
          accountId: OTHER_ACCOUNT,
          tags: {},
          policies: [{ source: 'inline', name: 'deliver', document: policy(ALLOW_PUT) }],
          permissionsBoundary: null,
        },
      }),
    );
    expect(layer(diagnosis, 'identity-policy')).toBe('allow');
  });
});

describe('NotPrincipal with Deny', () => {
  const exemptAll: Statement = {
    Sid: 'OnlyIngest',
    Effect: 'Deny',
    NotPrincipal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, ROLE_ARN, SESSION_ARN] },
    Action: 's3:PutObject',
    Resource: '*',
  };
  const request = parseEvent(s3Record()).requests[0]!;

  it('exempts a role session when the account, the role and the session are all listed', () => {
    expect(diagnose(request, snapshot({}, { policy: policy(exemptAll) })).verdict).toBe('not-reproduced');
  });

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
  it('always denies a principal with a permissions boundary, whatever it lists', () => {
    const bounded = snapshot({}, { policy: policy(exemptAll) });
    bounded.principal.permissionsBoundary = {
      name: 'Boundary',
      arn: `arn:aws:iam::${ACCOUNT}:policy/Boundary`,
      document: policy(ALLOW_PUT),
    };
    const diagnosis = diagnose(request, bounded);
    expect(diagnosis.verdict).toBe('explicit-deny');
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'bucket-policy', statement: { sid: 'OnlyIngest' } });
  });
});

describe('a snapshot of someone else', () => {
  it('is refused with a clear error, never diagnosed', () => {
    const request = parseEvent(s3Record()).requests[0]!;
    const other = snapshot({ principal: { ...snapshot().principal, arn: `arn:aws:iam::${ACCOUNT}:role/SomeoneElse` } });
    expect(() => diagnose(request, other)).toThrow(SnapshotError);
    expect(() => diagnose(request, other)).toThrow(/describes arn:aws:iam::555566667777:role\/SomeoneElse, but the caller was/);
  });

  it.each([
    ['an anonymous caller', 'anonymous-put.json', 'anonymous'],
    ['a service caller', 'service-cloudtrail-delivery.json', 'service'],
  ] as const)('is refused for %s when it describes another bucket (#25)', (_name, file, kind) => {
    const request = parseEvent(record(file)).requests[0]!;
    const elsewhere = snapshot(
      { principal: noIdentity(kind).principal },
      { name: 'some-other-bucket', arn: 'arn:aws:s3:::some-other-bucket' },
    );
    expect(() => diagnose(request, elsewhere)).toThrow(/describes bucket some-other-bucket, but the request was to/);
  });
});

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
describe('RestrictPublicBuckets on a bucket whose policy is public', () => {
  const partnerRole = `arn:aws:iam::${OTHER_ACCOUNT}:role/Partner`;
  const partner = parseEvent(s3Record({ userIdentity: roleIdentity(OTHER_ACCOUNT, 'Partner', 'drop'), errorMessage: 'Access Denied' }))
    .requests[0]!;
  const publicDrop: Statement = {
    Sid: 'PublicDrop',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${BUCKET}/*`,
  };
  const namedPartner: Statement = {
    Sid: 'Partner',
    Effect: 'Allow',
    Principal: { AWS: partnerRole },
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${BUCKET}/*`,
  };
  const partnerPrincipal = {
    arn: partnerRole,
    kind: 'role' as const,
    accountId: OTHER_ACCOUNT,
    tags: {},
    policies: [{ source: 'inline' as const, name: 'put', document: policy(ALLOW_PUT) }],
    permissionsBoundary: null,
  };

  it('refuses another account even when the policy names it: a setting, not the policy', () => {
    const diagnosis = diagnose(partner, snapshot({ principal: partnerPrincipal }, { policy: policy(publicDrop, namedPartner) }));
    expect(diagnosis.verdict).toBe('setting-blocked');
    expect(diagnosis.decidingLayers[0]).toMatchObject({
      layer: 'block-public-access',
      explanation: expect.stringContaining('RestrictPublicBuckets'),
    });
    expect(layer(diagnosis, 'block-public-access')).toBe('setting-blocked');
  });

  it('asks the bucket owner to pin the public statement to the bucket’s own account, as one exact edit the what-if proved', () => {
    const account = snapshot({ principal: partnerPrincipal }, { policy: policy(publicDrop, namedPartner) });
    const [fix, ...others] = diagnose(partner, account).fixes;
    expect(others).toEqual([]);
    expect(fix).toMatchObject({
      owner: 'bucket-owner',
      summary: expect.stringMatching(/^Pin statement "PublicDrop" of the bucket policy/),
    });
    expect(fix?.policyPatch).toEqual({
      layer: 'bucket-policy',
      replaceStatement: { sid: 'PublicDrop', index: 0 },
      Statement: [{ ...publicDrop, Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } }],
    });
    expect(fix?.command).toContain('put-bucket-policy');
    expect(whatIf(partner, account, { policyPatches: [fix!.policyPatch!] }).resolved).toBe(true);
  });

  it('adds the job’s own grant when nothing else names the partner, in the same write', () => {
    const account = snapshot({ principal: partnerPrincipal }, { policy: policy(publicDrop) });
    const [fix] = diagnose(partner, account).fixes;
    expect(fix?.summary).toMatch(
      /^2 changes, needed together: \(1\) Pin statement "PublicDrop" .* \(2\) Add a statement allowing s3:PutObject /,
    );
    expect(fix?.command?.match(/put-bucket-policy/g)).toHaveLength(1);
    expect(whatIf(partner, account, { policyPatches: fix!.policyPatches! }).resolved).toBe(true);
  });

  it('keeps every condition a public statement had, and adds the pin beside them', () => {
    const guarded: Statement = { ...publicDrop, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } };
    const request = parseEvent(
      s3Record({ userIdentity: roleIdentity(OTHER_ACCOUNT, 'Partner', 'drop') }, { 'x-amz-acl': 'bucket-owner-full-control' }),
    ).requests[0]!;
    const [fix] = diagnose(request, snapshot({ principal: partnerPrincipal }, { policy: policy(guarded, namedPartner) })).fixes;
    expect(fix?.policyPatch?.Statement[0]?.Condition).toEqual({
      StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:PrincipalAccount': ACCOUNT },
    });
  });

  it('edits several public statements as one fix, written as one document with every edit', () => {
    const secondDrop: Statement = { ...publicDrop, Sid: 'PublicReports', Resource: `arn:aws:s3:::${BUCKET}/reports/*` };
    const account = snapshot({ principal: partnerPrincipal }, { policy: policy(publicDrop, secondDrop, namedPartner) });
    const [fix] = diagnose(partner, account).fixes;
    expect(fix?.summary).toMatch(/^2 changes, needed together: \(1\) Pin statement "PublicDrop" .* \(2\) Pin statement "PublicReports" /);
    expect(fix?.policyPatches?.map((p) => p.replaceStatement?.sid)).toEqual(['PublicDrop', 'PublicReports']);
    expect(fix?.command?.match(/put-bucket-policy/g)).toHaveLength(1);
  });

  it('lets the named partner in once the policy is no longer public', () => {
    expect(diagnose(partner, snapshot({ principal: partnerPrincipal }, { policy: policy(namedPartner) })).verdict).toBe('not-reproduced');
  });

  it('does not refuse the bucket owner’s own account', () => {
    expect(diagnose(parseEvent(s3Record()).requests[0]!, snapshot({}, { policy: policy(publicDrop) })).verdict).toBe('not-reproduced');
  });
});
