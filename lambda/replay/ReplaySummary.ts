/** Denials grouped by fingerprint as they stream past, with counts of everything read and skipped. */
import type { Diagnosis } from '../model/diagnosis';
import { fingerprint, fingerprintParts, type FingerprintParts } from '../model/fingerprint';

export interface DenialGroup extends FingerprintParts {
  count: number;
  firstSeen: string;
  lastSeen: string;
  verdict: Diagnosis['verdict'];
  fix: string;
}

export interface BadFile {
  file: string;
  reason: string;
}

/** One record that could not be diagnosed, named so a person can find it. */
export interface RecordError {
  file: string;
  /** The record's position in the file's Records (or line order for NDJSON), from 0. */
  index: number;
  eventId: string | null;
  reason: string;
}

/** Enough to find the pattern; a trail of a million broken records still reports its count. */
const LISTED_RECORD_ERRORS = 100;

export class ReplaySummary {
  files = 0;
  /** CloudTrail digest files passed over: they hold hashes, not events. */
  digestFiles = 0;
  records = 0;
  candidates = 0;
  diagnosed = 0;
  malformedRecords = 0;
  withoutSnapshot = 0;
  /** Records of an upload already counted: its KMS call, the other account's copy. */
  joined = 0;
  readonly badFiles: BadFile[] = [];
  readonly recordErrors: RecordError[] = [];
  private readonly groups = new Map<string, DenialGroup>();

  add(diagnosis: Diagnosis): void {
    this.diagnosed += 1;
    const key = fingerprint(diagnosis);
    const time = diagnosis.event.time;
    const group = this.groups.get(key);
    if (group) {
      group.count += 1;
      if (time < group.firstSeen) group.firstSeen = time;
      if (time > group.lastSeen) group.lastSeen = time;
      return;
    }
    this.groups.set(key, {
      ...fingerprintParts(diagnosis),
      count: 1,
      firstSeen: time,
      lastSeen: time,
      verdict: diagnosis.verdict,
      fix: diagnosis.fixes[0]?.summary ?? '',
    });
  }

  recordError(error: RecordError): void {
    this.malformedRecords += 1;
    if (this.recordErrors.length < LISTED_RECORD_ERRORS) this.recordErrors.push(error);
  }

  /** Most frequent first. */
  denialGroups(): DenialGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count || a.firstSeen.localeCompare(b.firstSeen));
  }
}
