/**
 * One account's LookupEvents budget in one region (2 calls a second per account and region) shared by every
 * instance through the service's table: each call takes one of the second's slots with a conditional write, so
 * an instance alone gets the whole budget, not a fixed share of it, and a burst of instances together never
 * exceeds it. When the table cannot be asked (throttled, denied), the instance falls back to its own share.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
import { ConditionalCheckFailedException, type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { type CallBudget, RateLimitedError } from './RateLimiter';

export interface SharedBudgetSettings {
  client: DynamoDBClient;
  tableName: string;
  /** The table's partition key: the suppression table calls it `fingerprint`. */
  keyName: string;
  /** Whose budget: the account and region the calls go to (`111122223333:eu-west-1`). */
  scope: string;
  perSecond: number;
  maxWaitMs: number;
  /** The instance's own share, used when the table cannot be asked. */
  fallback: CallBudget;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class SharedRateLimiter implements CallBudget {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** A slot asked for ahead of its call, and the second it belongs to. */
  private reserved: { second: number; taken: Promise<boolean> } | null = null;

  constructor(private readonly settings: SharedBudgetSettings) {
    this.now = settings.now ?? Date.now;
    this.sleep = settings.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Takes one of this second's slots, if one is free, for the next `take`. Only a slot of the second the
   * call is made in is used, so the account's limit holds; one left unused is lost with its second.
   */
  reserve(): void {
    const second = this.second();
    if (this.reserved?.second === second) return;
    this.reserved = { second, taken: this.takeSlot(second).catch(() => false) };
  }

  async take(): Promise<void> {
    const reserved = this.reserved;
    this.reserved = null;
    if (reserved && (await reserved.taken) && reserved.second === this.second()) return;
    const deadline = this.now() + this.settings.maxWaitMs;
    for (;;) {
      const second = this.second();
      const taken = await this.takeSlot(second).catch(() => null);
      if (taken === null) return this.settings.fallback.take();
      if (taken) return;
      const next = (second + 1) * 1000;
      if (next > deadline)
        throw new RateLimitedError(`the account's LookupEvents calls for the next ${this.settings.maxWaitMs} ms are taken`);
      await this.sleep(next - this.now());
    }
  }

  private second(): number {
    return Math.floor(this.now() / 1000);
  }

  /** True when a slot of this second was free and is now this call's; false when the second is full. */
  private async takeSlot(second: number): Promise<boolean> {
    try {
      await this.settings.client.send(
        new UpdateItemCommand({
          TableName: this.settings.tableName,
          Key: { [this.settings.keyName]: { S: `lookup-events:${this.settings.scope}:${second}` } },
          UpdateExpression: 'ADD calls :one SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(calls) OR calls < :limit',
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':limit': { N: String(this.settings.perSecond) },
            ':expires': { N: String(second + 120) },
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
