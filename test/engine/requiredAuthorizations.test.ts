/**
 * What each S3 write needs, from the S3 and KMS guides: s3:PutObject on the object; s3:PutObjectAcl as
 * well when the upload's ACL grants others access (the contract's rule, revised 2026-12-04); s3:GetObject on a copy's source; for SSE-KMS, by
 * header or by the bucket's default, kms:GenerateDataKey on that key (aws/s3 when the header names none),
 * plus kms:Decrypt for multipart uploads; the key's encryption context is the object's ARN, or the bucket's
 * with an S3 Bucket Key. A KMS record needs just its own operation.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvent } from '../../lambda';
import { requiredAuthorizations } from '../../lambda/engine/requiredAuthorizations';
import type { BucketSnapshot } from '../../lambda/model/snapshot';
import { ACCOUNT, BUCKET, KMS_KEY_ARN, OBJECT_ARN, s3Record, snapshot } from '../factories';

const KEY_ID = KMS_KEY_ARN.split('/').pop()!;
const AWS_S3_KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:alias/aws/s3`;
const kmsDefault = (fields: Partial<NonNullable<BucketSnapshot['defaultEncryption']>> = {}) => ({
  defaultEncryption: { sseAlgorithm: 'aws:kms' as const, kmsMasterKeyId: KMS_KEY_ARN, bucketKeyEnabled: false, ...fields },
});

function needs(record: Record<string, unknown>, bucket: Partial<BucketSnapshot> = {}) {
  return requiredAuthorizations(parseEvent(record).requests[0]!, snapshot({}, bucket)).map((a) => `${a.action} ${a.resource}`);
}

describe('the permissions an S3 write needs', () => {
  it.each<[string, Record<string, unknown>, Partial<BucketSnapshot>, string[]]>([
    ['a plain PutObject', s3Record(), {}, [`s3:PutObject ${OBJECT_ARN}`]],
    [
      'a public canned ACL adds s3:PutObjectAcl',
      s3Record({}, { 'x-amz-acl': 'public-read' }),
      {},
      [`s3:PutObject ${OBJECT_ARN}`, `s3:PutObjectAcl ${OBJECT_ARN}`],
    ],
    [
      'bucket-owner-full-control grants no one else: s3:PutObject alone, as AWS’s delivery policies grant',
      s3Record({}, { 'x-amz-acl': 'bucket-owner-full-control' }),
      {},
      [`s3:PutObject ${OBJECT_ARN}`],
    ],
    [
      'a grant header naming another canonical user adds s3:PutObjectAcl',
      s3Record({}, { 'x-amz-grant-read': 'id="abc"' }),
      { ownerCanonicalId: 'owner' },
      [`s3:PutObject ${OBJECT_ARN}`, `s3:PutObjectAcl ${OBJECT_ARN}`],
    ],
    [
      'a grant header naming only the bucket owner does not',
      s3Record({}, { 'x-amz-grant-full-control': 'id="owner"' }),
      { ownerCanonicalId: 'owner' },
      [`s3:PutObject ${OBJECT_ARN}`],
    ],
    [
      'a copy reads its source',
      s3Record({ eventName: 'CopyObject' }, { 'x-amz-copy-source': 'source-bucket/dir/a%20b.txt' }),
      {},
      [`s3:PutObject ${OBJECT_ARN}`, 's3:GetObject arn:aws:s3:::source-bucket/dir/a b.txt'],
    ],
    [
      'an SSE-KMS header with a key',
      s3Record({}, { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': KMS_KEY_ARN }),
      {},
      [`s3:PutObject ${OBJECT_ARN}`, `kms:GenerateDataKey ${KMS_KEY_ARN}`],
    ],
    [
      'an SSE-KMS header with a bare key id: the key in the bucket’s account and region',
      s3Record({}, { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': KEY_ID }),
      {},
      [`s3:PutObject ${OBJECT_ARN}`, `kms:GenerateDataKey ${KMS_KEY_ARN}`],
    ],
    [
      'an SSE-KMS header without a key: the AWS managed aws/s3 key',
      s3Record({}, { 'x-amz-server-side-encryption': 'aws:kms' }),
      {},
      [`s3:PutObject ${OBJECT_ARN}`, `kms:GenerateDataKey ${AWS_S3_KEY}`],
    ],
    ['the bucket’s default SSE-KMS key', s3Record(), kmsDefault(), [`s3:PutObject ${OBJECT_ARN}`, `kms:GenerateDataKey ${KMS_KEY_ARN}`]],
    [
      'the bucket’s default SSE-KMS without a key: aws/s3',
      s3Record(),
      kmsDefault({ kmsMasterKeyId: undefined }),
      [`s3:PutObject ${OBJECT_ARN}`, `kms:GenerateDataKey ${AWS_S3_KEY}`],
    ],
    [
      'an AES256 header overrides a KMS default: no KMS call',
      s3Record({}, { 'x-amz-server-side-encryption': 'AES256' }),
      kmsDefault(),
      [`s3:PutObject ${OBJECT_ARN}`],
    ],
    ['SSE-S3 by default: no KMS call', s3Record(), {}, [`s3:PutObject ${OBJECT_ARN}`]],
    // Dual-layer SSE-KMS (DSSE-KMS) uses a KMS key the same way. https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingDSSEncryption.html
    [
      'a DSSE-KMS header with a key',
      s3Record({}, { 'x-amz-server-side-encryption': 'aws:kms:dsse', 'x-amz-server-side-encryption-aws-kms-key-id': KMS_KEY_ARN }),
      {},
      [`s3:PutObject ${OBJECT_ARN}`, `kms:GenerateDataKey ${KMS_KEY_ARN}`],
    ],
    [
      'the bucket’s default DSSE-KMS key',
      s3Record(),
      kmsDefault({ sseAlgorithm: 'aws:kms:dsse' }),
      [`s3:PutObject ${OBJECT_ARN}`, `kms:GenerateDataKey ${KMS_KEY_ARN}`],
    ],
    [
      'a header that is not SSE-KMS but ends like it',
      s3Record({}, { 'x-amz-server-side-encryption': 'AES256:aws:kms' }),
      {},
      [`s3:PutObject ${OBJECT_ARN}`],
    ],
    [
      'a multipart part under SSE-KMS also needs kms:Decrypt',
      s3Record({ eventName: 'UploadPart' }, { partNumber: '1', uploadId: 'u' }),
      kmsDefault(),
      [`s3:PutObject ${OBJECT_ARN}`, `kms:GenerateDataKey ${KMS_KEY_ARN}`, `kms:Decrypt ${KMS_KEY_ARN}`],
    ],
    [
      'a multipart part without KMS needs no key',
      s3Record({ eventName: 'UploadPart' }, { partNumber: '1', uploadId: 'u' }),
      {},
      [`s3:PutObject ${OBJECT_ARN}`],
    ],
  ])('%s', (_name, record, bucket, expected) => {
    expect(needs(record, bucket)).toEqual(expected);
  });

  it('puts the object in the KMS call’s encryption context, or the bucket with a Bucket Key, and says S3 made the call', () => {
    const contextOf = (bucket: Partial<BucketSnapshot>) =>
      requiredAuthorizations(parseEvent(s3Record()).requests[0]!, snapshot({}, bucket)).find((a) => a.service === 'kms')!.query.context;
    expect(contextOf(kmsDefault())).toMatchObject({
      'kms:EncryptionContext:aws:s3:arn': OBJECT_ARN,
      'kms:ViaService': 's3.us-west-2.amazonaws.com',
      'kms:CallerAccount': ACCOUNT,
      'aws:ViaAWSService': 'true',
    });
    expect(contextOf(kmsDefault({ bucketKeyEnabled: true }))['kms:EncryptionContext:aws:s3:arn']).toBe(`arn:aws:s3:::${BUCKET}`);
    // S3's own condition keys are not on the KMS call.
    expect(Object.keys(contextOf(kmsDefault())).filter((k) => k.startsWith('s3:'))).toEqual([]);
    // S3 calls KMS in a forward access session: the requester's IP address and transport are preserved.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_deny-ip.html
    const upload = requiredAuthorizations(parseEvent(s3Record()).requests[0]!, snapshot({}, kmsDefault()));
    const [s3Call, kmsCall] = [upload.find((a) => a.service === 's3')!, upload.find((a) => a.service === 'kms')!];
    expect(kmsCall.query.context['aws:SourceIp']).toBe(s3Call.query.context['aws:SourceIp']);
    expect(kmsCall.query.context['aws:SourceIp']).toBeDefined();
    expect(kmsCall.query.context['aws:SecureTransport']).toBe(s3Call.query.context['aws:SecureTransport']);
  });

  it('puts the object in the context of an SSE-KMS header’s call to a bucket without default encryption', () => {
    const call = requiredAuthorizations(
      parseEvent(s3Record({}, { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': KMS_KEY_ARN }))
        .requests[0]!,
      snapshot({}, { defaultEncryption: undefined }),
    ).find((a) => a.service === 'kms')!;
    expect(call.query.context['kms:EncryptionContext:aws:s3:arn']).toBe(OBJECT_ARN);
  });

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
  it('gives the KMS call the key’s account as aws:ResourceAccount, not the bucket’s', () => {
    const OTHER = '999988887777';
    const kmsCall = (keyId: string, bucket: Partial<BucketSnapshot> = {}) =>
      requiredAuthorizations(
        parseEvent(s3Record({}, { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': keyId }))
          .requests[0]!,
        snapshot({}, bucket),
      ).find((a) => a.service === 'kms')!.query.context['aws:ResourceAccount'];
    expect(kmsCall(`arn:aws:kms:us-west-2:${OTHER}:key/k`)).toBe(OTHER);
    expect(kmsCall(KEY_ID)).toBe(ACCOUNT);
    // A bare key id in a bucket whose owner is unknown: the key's account is unknown too.
    expect(kmsCall(KEY_ID, { accountId: 'unknown' })).toBeUndefined();
  });

  it('gives a KMS record’s call the key’s account, or the caller’s for a bare key id', () => {
    const pair = JSON.parse(readFileSync(join(__dirname, '../fixtures/records/sse-kms-upload-pair.json'), 'utf8')) as {
      Records: Record<string, unknown>[];
    };
    const kmsRecord = pair.Records[1]!;
    const withKey = (keyId: string) => ({ ...kmsRecord, requestParameters: { ...(kmsRecord.requestParameters as object), keyId } });
    const asked = (record: Record<string, unknown>) => {
      const [call] = requiredAuthorizations(parseEvent(record).requests[0]!, snapshot({ kmsKeys: [] }));
      return [call!.resource, call!.resourceAccount, call!.query.context['aws:ResourceAccount']];
    };
    expect(asked(withKey('arn:aws:kms:us-west-2:999988887777:key/k'))).toEqual([
      'arn:aws:kms:us-west-2:999988887777:key/k',
      '999988887777',
      '999988887777',
    ]);
    expect(asked(withKey(KEY_ID))).toEqual([KMS_KEY_ARN, ACCOUNT, ACCOUNT]);
  });

  it('asks the resource’s account: the bucket’s for S3, the key’s for KMS', () => {
    const authorizations = requiredAuthorizations(
      parseEvent(
        s3Record(
          {},
          {
            'x-amz-server-side-encryption': 'aws:kms',
            'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-west-2:999988887777:key/k',
          },
        ),
      ).requests[0]!,
      snapshot(),
    );
    expect(authorizations.map((a) => [a.action, a.resourceAccount])).toEqual([
      ['s3:PutObject', ACCOUNT],
      ['kms:GenerateDataKey', '999988887777'],
    ]);
  });

  it('names the object by its key even when it has characters S3 encodes', () => {
    expect(needs(s3Record({}, { key: 'dir/a b+c.txt' }))).toEqual([`s3:PutObject arn:aws:s3:::${BUCKET}/dir/a b+c.txt`]);
  });

  it('for the KMS call S3 made, is that call alone', () => {
    const pair = JSON.parse(readFileSync(join(__dirname, '../fixtures/records/sse-kms-upload-pair.json'), 'utf8')) as {
      Records: unknown[];
    };
    const kmsCall = parseEvent(pair.Records[1]).requests[0]!;
    expect(requiredAuthorizations(kmsCall, snapshot()).map((a) => `${a.action} ${a.resource}`)).toEqual([
      `kms:GenerateDataKey ${KMS_KEY_ARN}`,
    ]);
  });
});

/**
 * Who a policy is matched against, and the keys only the account knows.
 * A role session matches its session ARN or its role's ARN; a user its own ARN; a service its service
 * principal (never the account it acts for); an unsigned request only `*`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * aws:PrincipalTag/* comes from the principal's tags and a session's tags (session tags win);
 * aws:PrincipalOrgID exists only for a principal in an organization; aws:ResourceAccount and
 * s3:ResourceAccount are the bucket owner's account.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
describe('who asks, and what the account adds to the request', () => {
  const request = (record: Record<string, unknown>) => parseEvent(record).requests[0]!;
  const first = (record: Record<string, unknown>, account = snapshot()) => requiredAuthorizations(request(record), account)[0]!.query;
  const fixture = (name: string) =>
    JSON.parse(readFileSync(join(__dirname, '../fixtures/records', name), 'utf8')) as Record<string, unknown>;
  const USER = {
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLEUSER',
    arn: `arn:aws:iam::${ACCOUNT}:user/ci-uploader`,
    accountId: ACCOUNT,
    accessKeyId: 'AKIAEXAMPLEUSER12345',
    userName: 'ci-uploader',
  };

  it.each<[string, Record<string, unknown>, object]>([
    [
      'a role session: its session ARN, and its role',
      s3Record(),
      {
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/MediaIngest/ingest-worker-7`,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/MediaIngest`,
        accountId: ACCOUNT,
      },
    ],
    ['a user: its own ARN, no role', s3Record({ userIdentity: USER }), { arn: USER.arn, accountId: ACCOUNT }],
    [
      'the root user: the account root',
      s3Record({ userIdentity: { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT } }),
      { arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT },
    ],
  ])('%s', (_name, record, principal) => {
    expect(first(record).principal).toEqual(principal);
  });

  it('an AWS service: its service principal', () => {
    const principal = first(fixture('service-cloudtrail-delivery.json')).principal;
    expect(principal).toMatchObject({ arn: 'cloudtrail.amazonaws.com', service: 'cloudtrail.amazonaws.com' });
    expect(principal.roleArn).toBeUndefined();
  });

  it('an unsigned request: anonymous, in no account', () => {
    expect(first(fixture('anonymous-put.json')).principal).toEqual({ arn: 'anonymous', accountId: 'anonymous', anonymous: true });
  });

  it('a principal with a permissions boundary is marked, for NotPrincipal with Deny', () => {
    const bounded = snapshot();
    bounded.principal.permissionsBoundary = { name: 'B', document: { Version: '2012-10-17', Statement: [] } };
    expect(first(s3Record(), bounded).principal.hasPermissionsBoundary).toBe(true);
    expect(first(s3Record()).principal.hasPermissionsBoundary).toBeUndefined();
  });

  it('tags of the principal and the session, the session’s winning; only string values', () => {
    const tagged = snapshot({ session: { tags: { team: 'video', stage: 'prod' } } });
    tagged.principal.tags = { team: 'media', cost: '42', broken: 7 as unknown as string };
    expect(first(s3Record(), tagged).context).toMatchObject({
      'aws:PrincipalTag/team': 'video',
      'aws:PrincipalTag/stage': 'prod',
      'aws:PrincipalTag/cost': '42',
    });
    expect(first(s3Record(), tagged).context['aws:PrincipalTag/broken']).toBeUndefined();
  });

  it.each<[string, string[] | undefined, string | undefined]>([
    ['a member account: the organization id', [ACCOUNT], 'o-example'],
    ['an account outside it: no key at all', ['999999999999'], undefined],
    ['members not listed: not assumed', undefined, undefined],
  ])('aws:PrincipalOrgID for %s', (_name, memberAccountIds, orgId) => {
    const account = snapshot({ organization: { id: 'o-example', ...(memberAccountIds ? { memberAccountIds } : {}) } });
    expect(first(s3Record(), account).context['aws:PrincipalOrgID']).toBe(orgId);
  });

  it('the bucket owner’s account, as aws:ResourceAccount and s3:ResourceAccount; an unknown owner is not a value', () => {
    // The caller's copy of a cross-account call may not name the bucket's account: the snapshot does.
    const withoutOwner = s3Record({ resources: [{ type: 'AWS::S3::Object', ARN: OBJECT_ARN }] });
    expect(first(withoutOwner).context).toMatchObject({ 'aws:ResourceAccount': ACCOUNT, 's3:ResourceAccount': ACCOUNT });
    const unknownOwner = first(withoutOwner, snapshot({}, { accountId: 'unknown' })).context;
    expect([unknownOwner['aws:ResourceAccount'], unknownOwner['s3:ResourceAccount']]).toEqual([undefined, undefined]);
    // The record's own value is kept.
    expect(first(s3Record(), snapshot({}, { accountId: 'unknown' })).context['s3:ResourceAccount']).toBe(ACCOUNT);
  });

  it('a key named by alias, by key id or by ARN is the snapshot’s key', () => {
    const key = {
      arn: KMS_KEY_ARN,
      accountId: ACCOUNT,
      aliases: ['alias/media'],
      keyManager: 'CUSTOMER' as const,
      keyState: 'Enabled' as const,
    };
    const keyOf = (id: string) =>
      requiredAuthorizations(
        request(s3Record({}, { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': id })),
        snapshot({ kmsKeys: [key] }),
      ).find((a) => a.service === 'kms')!;
    for (const id of ['alias/media', `arn:aws:kms:us-west-2:${ACCOUNT}:alias/media`, KEY_ID, KMS_KEY_ARN]) {
      expect(keyOf(id)).toMatchObject({ resource: KMS_KEY_ARN, key: { arn: KMS_KEY_ARN } });
    }
    expect(keyOf('alias/other')).toMatchObject({ resource: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/other`, key: null });
  });

  it('a copy from another bucket reads a source whose owner the snapshot does not know', () => {
    const copy = (source: string) =>
      requiredAuthorizations(request(s3Record({ eventName: 'CopyObject' }, { 'x-amz-copy-source': source })), snapshot()).find(
        (a) => a.action === 's3:GetObject',
      )!.resourceAccount;
    expect(copy(`${BUCKET}/raw/a.mp4`)).toBe(ACCOUNT);
    expect(copy('source-bucket/a.mp4')).toBe('unknown');
  });
});
