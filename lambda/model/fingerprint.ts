/**
 * What makes two denials "the same" for a person: the same principal denied the same action on the same
 * bucket by the same statement of the same layer. Replay groups by it; alert suppression keys on it.
 */
import { bucketOfDiagnosis } from './bucketOfDiagnosis';
import type { Diagnosis } from './diagnosis';

export interface FingerprintParts {
  principal: string;
  bucket: string;
  action: string;
  layer: string;
  statement: string;
}

export function fingerprintParts(diagnosis: Diagnosis): FingerprintParts {
  const first = diagnosis.decidingLayers[0];
  return {
    principal: diagnosis.request.principalArn,
    bucket: bucketOfDiagnosis(diagnosis) ?? '',
    action: first?.action ?? diagnosis.request.actions[0] ?? '',
    layer: first?.layer ?? diagnosis.verdict,
    statement: first?.statement ? (first.statement.sid ?? `#${first.statement.index}`) : (first?.policy?.name ?? ''),
  };
}

/** @example fingerprint(diagnosis) // 'arn:aws:iam::1:role/R|bucket|s3:PutObject|bucket-policy|DenyHttp' */
export function fingerprint(diagnosis: Diagnosis): string {
  const parts = fingerprintParts(diagnosis);
  return [parts.principal, parts.bucket, parts.action, parts.layer, parts.statement].join('|');
}
