/** Denials grouped by fingerprint as they stream past, with counts of everything read and skipped. */
import type { Diagnosis } from '../model/diagnosis';
import { fingerprint, fingerprintParts, type FingerprintParts } from '../model/fingerprint';

export interface DenialGroup extends FingerprintParts {
  count: number;
  firstSeen: string;
  lastSeen: string;
  verdict: Diagnosis['verdict'];
  fix: string;
  /** The first events of the group, to find them in the logs or explain one. */
  eventIds: string[];
}

/** Enough event ids to find a group's records; its count says how many there are. */
const LISTED_EVENT_IDS = 5;
/** Enough to collect the missing snapshots for; the count says how many there are. */
const LISTED_WITHOUT_SNAPSHOT = 100;

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
  /** Failed writes or KMS calls passed over because they came before --since. */
  beforeSince = 0;
  /** The events that had no snapshot, to collect one for each. */
  readonly withoutSnapshotEventIds: string[] = [];
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
      if (group.eventIds.length < LISTED_EVENT_IDS) group.eventIds.push(diagnosis.event.id);
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
      eventIds: [diagnosis.event.id],
    });
  }

  noSnapshotFor(eventIds: string[]): void {
    this.withoutSnapshot += eventIds.length;
    for (const id of eventIds) if (this.withoutSnapshotEventIds.length < LISTED_WITHOUT_SNAPSHOT) this.withoutSnapshotEventIds.push(id);
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
