/**
 * At most `perSecond` calls a second, and a caller never waits longer than `maxWaitMs`: CloudTrail's
 * LookupEvents allows 2 calls per second per account and region, and a slow lookup must not stall a batch.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 */
/** LookupEvents calls per second per account and region: every instance of the service shares each account-region's. */
export const LOOKUP_EVENTS_PER_SECOND = 2;

export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
}

/** What a LookupEvents call waits on: a slot within the budget, or an error when none comes in time. */
export interface CallBudget {
  take(): Promise<void>;
  /**
   * Asks now, without waiting, for a slot a call about to be made will want: the asking overlaps other
   * work instead of coming before the call. A budget that cannot ask ahead ignores it.
   */
  reserve?(): void;
}

/** Every account and region held to one budget: a command-line run, a test. */
export function oneBudget(budget: CallBudget): (accountId: string, region: string) => CallBudget {
  return () => budget;
}

export class RateLimiter implements CallBudget {
  private nextSlot = 0;

  constructor(
    private readonly perSecond: number,
    private readonly maxWaitMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async take(): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    const wait = slot - now;
    if (wait > this.maxWaitMs) throw new RateLimitedError(`would wait ${wait} ms for a call slot`);
    this.nextSlot = slot + 1000 / this.perSecond;
    if (wait > 0) await this.sleep(wait);
  }
}
