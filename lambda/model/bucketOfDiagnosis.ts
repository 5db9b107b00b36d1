/**
 * The bucket a diagnosis is about, from its S3 resource ARN; for the KMS call S3 made for an upload, from
 * the object or bucket its encryption context names. Null for a KMS call of no upload.
 */
import { parseS3Arn } from '../policy/arns';
import type { Diagnosis } from './diagnosis';

export function bucketOfDiagnosis(diagnosis: Diagnosis): string | null {
  for (const resource of diagnosis.request.resources) {
    const parsed = parseS3Arn(resource);
    if (parsed) return parsed.bucket;
  }
  const context = diagnosis.request.context['kms:EncryptionContext:aws:s3:arn'];
  return typeof context === 'string' ? (parseS3Arn(context)?.bucket ?? null) : null;
}
