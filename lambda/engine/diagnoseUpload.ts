/**
 * An upload whose records were joined is diagnosed once, from the record that speaks for it; what the
 * others said (the KMS call's message names the policy type where S3's says only "Access Denied") is
 * evidence, exactly as a related record the collectors found.
 */
import type { UploadDenial } from '../events/joinUploads';
import type { Diagnosis } from '../model/diagnosis';
import type { AccountSnapshot, SnapshotEvidence } from '../model/snapshot';
import { diagnose } from './diagnose';

function evidenceOfJoined(denial: UploadDenial): SnapshotEvidence[] {
  return denial.joined.flatMap((r) =>
    r.event.errorMessage ? [{ source: `${r.event.source} ${r.event.name} ${r.event.id}`, errorMessage: r.event.errorMessage }] : [],
  );
}

/** @example diagnoseUpload(joinUploads(parsed.requests)[0], snapshot) */
export function diagnoseUpload(denial: UploadDenial, snapshot: AccountSnapshot): Diagnosis {
  const joined = evidenceOfJoined(denial);
  return diagnose(denial.request, joined.length ? { ...snapshot, evidence: [...(snapshot.evidence ?? []), ...joined] } : snapshot);
}
