/**
 * Which KMS key an upload is encrypted with, as the collectors must read it and the engine must authorize it:
 * the key its record names (a KMS call's own, or the SSE-KMS header's), else the AWS managed aws/s3 key for an
 * SSE-KMS header that names none, else the bucket's default for an upload that sends no encryption header.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html
 */
import type { DeniedRequest } from './request';
import type { BucketSnapshot } from './snapshot';

export const AWS_MANAGED_S3_KEY = 'alias/aws/s3';

/** @returns null when no KMS key is involved (or a KMS record names none) */
export function uploadKeyReference(request: DeniedRequest, defaults: BucketSnapshot['defaultEncryption'] | undefined): string | null {
  if (request.service === 'kms') return request.kmsKeyId;
  const header = request.headers['x-amz-server-side-encryption'];
  if (header !== undefined) return header.startsWith('aws:kms') ? (request.kmsKeyId ?? AWS_MANAGED_S3_KEY) : null;
  if (!defaults?.sseAlgorithm?.startsWith('aws:kms')) return null;
  return defaults.kmsMasterKeyId ?? AWS_MANAGED_S3_KEY;
}
