/** The bucket a diagnosis is about, from its S3 resource ARN; null for a KMS-only request. */
import { parseS3Arn } from './arns';
import type { Diagnosis } from './diagnosis';

export function bucketOfDiagnosis(diagnosis: Diagnosis): string | null {
  for (const resource of diagnosis.request.resources) {
    const parsed = parseS3Arn(resource);
    if (parsed) return parsed.bucket;
  }
  return null;
}
