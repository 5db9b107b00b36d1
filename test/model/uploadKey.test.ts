/**
 * The key an upload used is read by the collectors and authorized by the engine from one rule.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html
 */
import { parseEvent } from '../../lambda';
import { uploadKeyReference } from '../../lambda/model/uploadKey';
import { s3Record } from '../factories';

const KEY_ARN = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const upload = (params: Record<string, string> = {}) => parseEvent(s3Record({}, params)).requests[0]!;
const kmsDefault = { sseAlgorithm: 'aws:kms' as const, kmsMasterKeyId: KEY_ARN, bucketKeyEnabled: false };

describe('the key an upload used', () => {
  it.each([
    [
      'the SSE-KMS header’s key',
      { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': KEY_ARN },
      null,
      KEY_ARN,
    ],
    ['aws/s3 for an SSE-KMS header naming none', { 'x-amz-server-side-encryption': 'aws:kms' }, kmsDefault, 'alias/aws/s3'],
    ['none for an SSE-S3 header, whatever the default', { 'x-amz-server-side-encryption': 'AES256' }, kmsDefault, null],
    ['the bucket default’s key for an upload with no header', {}, kmsDefault, KEY_ARN],
    ['aws/s3 for a default SSE-KMS naming no key', {}, { sseAlgorithm: 'aws:kms' as const, bucketKeyEnabled: false }, 'alias/aws/s3'],
    ['none for an SSE-S3 default', {}, { sseAlgorithm: 'AES256' as const, bucketKeyEnabled: false }, null],
  ])('%s', (_what, params, defaults, expected) => {
    expect(uploadKeyReference(upload(params), defaults)).toBe(expected);
  });
});
