/** The bucket a diagnosis is about, from its S3 resource ARN; null for a KMS-only request. */
import type { Diagnosis } from './diagnosis';

export function bucketOfDiagnosis(diagnosis: Diagnosis): string | null {
  const arn = diagnosis.request.resources.find((r) => r.startsWith('arn:aws:s3:::'));
  return arn ? (arn.slice('arn:aws:s3:::'.length).split('/')[0] ?? null) : null;
}
