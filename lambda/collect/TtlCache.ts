/**
 * A per-container cache of AWS answers, keyed by what was asked (API and ARN). It holds the promise, so a
 * burst of denials for the same role and bucket makes one call, not one per denial. Failures are not kept.
 */
export class TtlCache {
  private readonly entries = new Map<string, { expires: number; value: Promise<unknown> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 5_000,
  ) {}

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit.value as Promise<T>;
    const value = load();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { expires: this.now() + this.ttlMs, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** Drops an answer that turned out not worth keeping (a reading cut short by throttling). */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
