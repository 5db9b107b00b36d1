/**
 * What each S3 write needs, from the S3 and KMS guides: s3:PutObject on the object; s3:PutObjectAcl as
 * well when ACL headers are sent (the contract's rule); s3:GetObject on a copy's source; for SSE-KMS, by
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
      'ACL headers add s3:PutObjectAcl',
      s3Record({}, { 'x-amz-acl': 'bucket-owner-full-control' }),
      {},
      [`s3:PutObject ${OBJECT_ARN}`, `s3:PutObjectAcl ${OBJECT_ARN}`],
    ],
    [
      'a grant header is an ACL header too',
      s3Record({}, { 'x-amz-grant-read': 'id="abc"' }),
      {},
      [`s3:PutObject ${OBJECT_ARN}`, `s3:PutObjectAcl ${OBJECT_ARN}`],
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
