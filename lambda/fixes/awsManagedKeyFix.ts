/**
 * The AWS managed key for S3 (`aws/s3`) is usable only through S3 by its own account, and its policy cannot be
 * changed: no grant can share it, so the fix is which key the upload uses. An upload that asks for SSE-KMS
 * without naming a key gets the bucket account's aws/s3: the uploader names a customer managed key the bucket
 * owner shares, or asks for SSE-S3 (replayed, as the bucket policy may refuse it). A bucket whose default is
 * aws/s3 is the bucket owner's to switch.
 * https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html
 */
import type { DecidingLayer, Fix } from '../model/diagnosis';
import { accountOfArn } from '../model/accountOfArn';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import { AWS_MANAGED_S3_KEY } from '../model/uploadKey';
import { uploadCommand } from './uploadCommand';

/** The account whose aws/s3 key decided, when the deciding key is one. */
function managedKeyAccount(deciding: DecidingLayer, snapshot: AccountSnapshot): string | null {
  const key = snapshot.kmsKeys?.find((k) => k.arn === deciding.resource);
  if (key) return key.keyManager === 'AWS' ? key.accountId : null;
  return deciding.resource?.endsWith(`:${AWS_MANAGED_S3_KEY}`) ? accountOfArn(deciding.resource) : null;
}

/** @example awsManagedKeyFix(deciding, request, snapshot)?.owner // 'uploader' when the upload asked for SSE-KMS itself */
export function awsManagedKeyFix(deciding: DecidingLayer, request: DeniedRequest, snapshot: AccountSnapshot): Fix | null {
  const account = managedKeyAccount(deciding, snapshot);
  if (!account || account === request.caller.accountId) return null;
  if (request.headers['x-amz-server-side-encryption']?.startsWith('aws:kms')) {
    const requestChange = { setHeaders: { 'x-amz-server-side-encryption': 'AES256' } };
    return {
      summary: `The upload asks for SSE-KMS without naming a key, so S3 uses the AWS managed key aws/s3 of account ${account}, which no other account can use: upload with SSE-S3 (x-amz-server-side-encryption: AES256), or name a customer managed key of ${account} whose policy grants ${request.caller.accountId} (x-amz-server-side-encryption-aws-kms-key-id).`,
      owner: 'uploader',
      command: uploadCommand(request, requestChange),
      requestChange,
    };
  }
  return {
    summary: `The bucket encrypts with the AWS managed key aws/s3 of account ${account}, which no other account can use: the bucket owner must switch default encryption to a customer managed key and grant ${request.caller.accountId} in its key policy.`,
    owner: 'bucket-owner',
  };
}
