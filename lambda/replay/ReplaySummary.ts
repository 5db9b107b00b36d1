/** Denials grouped by fingerprint as they stream past, with counts of everything read and skipped. */
import type { Diagnosis } from '../diagnosis';
import { fingerprint, fingerprintParts, type FingerprintParts } from '../fingerprint';

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

export class ReplaySummary {
  files = 0;
  records = 0;
  candidates = 0;
  diagnosed = 0;
  malformedRecords = 0;
  withoutSnapshot = 0;
  readonly badFiles: BadFile[] = [];
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

  /** Most frequent first. */
  denialGroups(): DenialGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count || a.firstSeen.localeCompare(b.firstSeen));
  }
}
