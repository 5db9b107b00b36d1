/** The upload retried with the headers a fix asks for, as an AWS CLI command (a multipart upload is started again). */
import type { RequestChange } from '../model/diagnosis';
import type { DeniedRequest } from '../model/request';
import { requiredVariable, shellQuote } from './shellQuote';

/** `aws s3api put-object` flags for the headers a bucket policy can require. */
const PUT_OBJECT_FLAGS: Readonly<Record<string, string>> = {
  'x-amz-server-side-encryption': '--server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id': '--ssekms-key-id',
  'x-amz-acl': '--acl',
  'x-amz-grant-full-control': '--grant-full-control',
  'x-amz-grant-read': '--grant-read',
  'x-amz-storage-class': '--storage-class',
};

/**
 * Every value is attached with `=`, so a key that starts with `-` is never read as an option, and the file to
 * upload is a variable the shell insists on, not a `<file>` placeholder that pastes as a redirection.
 */
export function uploadCommand(request: DeniedRequest, change: RequestChange): string {
  const headers = { ...request.headers, ...(change.setHeaders ?? {}) };
  for (const header of change.removeHeaders ?? []) delete headers[header];
  const bucket = request.bucket ? shellQuote(request.bucket) : requiredVariable('BUCKET', 'the bucket name');
  const key = request.key ? shellQuote(request.key) : requiredVariable('KEY', 'the object key');
  const parts =
    request.copySource !== null
      ? [
          'aws s3api copy-object',
          `--copy-source=${shellQuote(`${request.copySource.bucket}/${request.copySource.key}`)}`,
          `--bucket=${bucket}`,
          `--key=${key}`,
        ]
      : request.multipart
        ? ['aws s3api create-multipart-upload', `--bucket=${bucket}`, `--key=${key}`]
        : ['aws s3api put-object', `--bucket=${bucket}`, `--key=${key}`, `--body=${requiredVariable('FILE', 'the file to upload')}`];
  for (const [header, flag] of Object.entries(PUT_OBJECT_FLAGS)) {
    const value = headers[header];
    if (value !== undefined) parts.push(`${flag}=${shellQuote(value)}`);
  }
  return parts.join(' ');
}
