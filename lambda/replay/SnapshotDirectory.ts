/**
 * Snapshots for replay, from a folder: `<eventId>.json` for one event, else `<bucket>.json` for every event
 * on that bucket. Each file is read once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSnapshot } from '../model/parseSnapshot';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import type { BadFile } from './ReplaySummary';

const SAFE_NAME = /^[A-Za-z0-9._-]+$/;

export class SnapshotDirectory {
  private readonly cache = new Map<string, AccountSnapshot | null>();
  /** Snapshot files that exist but could not be used, each reported once. */
  readonly problems: BadFile[] = [];
  constructor(private readonly directory: string) {}

  /** Names from the event are used as file names only when they cannot climb out of the folder. */
  private load(name: string): AccountSnapshot | null {
    if (!SAFE_NAME.test(name) || name.startsWith('.')) return null;
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const path = join(this.directory, `${name}.json`);
    let snapshot: AccountSnapshot | null = null;
    if (existsSync(path)) {
      try {
        snapshot = parseSnapshot(JSON.parse(readFileSync(path, 'utf8')));
      } catch (error) {
        this.problems.push({ file: path, reason: (error as Error).message });
      }
    }
    this.cache.set(name, snapshot);
    return snapshot;
  }

  snapshotFor(request: DeniedRequest): AccountSnapshot | null {
    return this.load(request.event.id) ?? (request.bucket ? this.load(request.bucket) : null);
  }
}
