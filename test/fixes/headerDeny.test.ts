/**
 * An explicit Deny on a header the uploader sends (`s3:x-amz-*`) is the uploader's to fix: every operator a
 * bucket policy uses for it — Null, StringNotEquals, StringNotLike and their IfExists forms — gets a retry
 * with the header the policy asks for, and the what-if confirms it.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
 */
import { diagnose, parseEvent } from '../../lambda';
import type { Statement } from '../../lambda/policy/types';
import { whatIf } from '../../lambda/whatIf/whatIf';
import { BUCKET, policy, s3Record, snapshot } from '../factories';

const SSE = 's3:x-amz-server-side-encryption';
const deny = (Condition: Statement['Condition'], Sid = 'RequireSse'): Statement => ({
  Sid,
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:PutObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
  Condition,
});

describe('a Deny on a request header', () => {
  it.each<[string, Statement[], Record<string, string>, Record<string, string>]>([
    [
      'Null = true, with the value from the statement beside it',
      [deny({ Null: { [SSE]: 'true' } }), deny({ StringNotEquals: { [SSE]: 'aws:kms' } }, 'KmsOnly')],
      {},
      { 'x-amz-server-side-encryption': 'aws:kms' },
    ],
    [
      'Null = true alone: the bucket’s default algorithm',
      [deny({ Null: { [SSE]: 'true' } })],
      {},
      { 'x-amz-server-side-encryption': 'AES256' },
    ],
    ['StringNotEquals', [deny({ StringNotEquals: { [SSE]: 'aws:kms' } })], {}, { 'x-amz-server-side-encryption': 'aws:kms' }],
    [
      'StringNotEqualsIfExists on a wrong value',
      [deny({ StringNotEqualsIfExists: { [SSE]: 'aws:kms' } })],
      { 'x-amz-server-side-encryption': 'AES256' },
      { 'x-amz-server-side-encryption': 'aws:kms' },
    ],
    [
      'StringNotLike',
      [deny({ StringNotLike: { 's3:x-amz-storage-class': ['STANDARD_IA', 'GLACIER*'] } }, 'Cold')],
      {},
      { 'x-amz-storage-class': 'STANDARD_IA' },
    ],
    [
      'StringNotLikeIfExists',
      [deny({ StringNotLikeIfExists: { 's3:x-amz-storage-class': 'STANDARD_IA' } }, 'Cold')],
      { 'x-amz-storage-class': 'GLACIER' },
      { 'x-amz-storage-class': 'STANDARD_IA' },
    ],
  ])('%s: the uploader retries with the header, confirmed by the what-if', (_name, statements, sent, expected) => {
    const request = parseEvent(s3Record({}, sent)).requests[0]!;
    const account = snapshot({}, { policy: policy(...statements) });
    const diagnosis = diagnose(request, account);
    expect(diagnosis.verdict).toBe('explicit-deny');
    const fix = diagnosis.fixes[0]!;
    expect(fix).toMatchObject({ owner: 'uploader', requestChange: { setHeaders: expected } });
    expect(fix.summary).not.toMatch(/^Unverified/);
    expect(whatIf(request, account, { requestChange: fix.requestChange! }).resolved).toBe(true);
  });

  it('Null = false (the header must be absent): the retry leaves it out', () => {
    const request = parseEvent(s3Record({}, { 'x-amz-grant-read': 'id="abc"' })).requests[0]!;
    const account = snapshot({}, { policy: policy(deny({ Null: { 's3:x-amz-grant-read': 'false' } }, 'NoGrants')) });
    account.principal.policies![0]!.document = policy({ Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl'], Resource: '*' });
    const fix = diagnose(request, account).fixes[0]!;
    expect(fix.requestChange).toEqual({ removeHeaders: ['x-amz-grant-read'] });
  });

  it('on a multipart upload, starts the upload again with the header (the headers go with CreateMultipartUpload)', () => {
    const request = parseEvent(s3Record({ eventName: 'CreateMultipartUpload' })).requests[0]!;
    const account = snapshot({}, { policy: policy(deny({ Null: { [SSE]: 'true' } })) });
    const fix = diagnose(request, account).fixes[0]!;
    expect(fix.summary).toMatch(/^Start the multipart upload again with x-amz-server-side-encryption: AES256/);
    expect(fix.command).toMatch(
      /^aws s3api create-multipart-upload --bucket=contoso-media-uploads --key=.* --server-side-encryption=AES256$/,
    );
    expect(fix.summary).not.toContain('nothing the uploader sends');
  });
});
