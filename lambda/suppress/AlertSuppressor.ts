/**
 * One alert per fingerprint per window. The first denial of a window wins a conditional write and is
 * published; repeats add to a counter; the next window's first alert reports how many were held back.
 * TTL deletes expired items lazily (within days), so expiry is part of the condition, not left to TTL.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

export interface Repeats {
  count: number;
  since: string;
}

export type SuppressionDecision = { publish: true; repeats: Repeats | null; claim: Claim } | { publish: false };

/** The window a publication claimed; given back when the publication fails, so the retry publishes. */
export interface Claim {
  fingerprint: string;
  windowStart: string;
  repeats: Repeats | null;
}

export class AlertSuppressor {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly windowSeconds: number,
  ) {}

  /** @example if ((await suppressor.check(fingerprint(diagnosis), new Date())).publish) await publish(diagnosis) */
  async check(fingerprint: string, now: Date): Promise<SuppressionDecision> {
    const epoch = Math.floor(now.getTime() / 1000);
    try {
      const replaced = await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            fingerprint: { S: fingerprint },
            windowStart: { S: now.toISOString() },
            expiresAt: { N: String(epoch + this.windowSeconds) },
            suppressed: { N: '0' },
          },
          ConditionExpression: 'attribute_not_exists(fingerprint) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': { N: String(epoch) } },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const held = Number(replaced.Attributes?.suppressed?.N ?? '0');
      const since = replaced.Attributes?.windowStart?.S;
      const repeats = held > 0 && since ? { count: held, since } : null;
      return { publish: true, repeats, claim: { fingerprint, windowStart: now.toISOString(), repeats } };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { fingerprint: { S: fingerprint } },
          UpdateExpression: 'ADD suppressed :one',
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      );
      return { publish: false };
    }
  }

  /**
   * Gives back a claim whose publication failed. Only our own window is deleted (another invocation may
   * have claimed a newer one), and repeats it had held back are carried over to whoever publishes next.
   */
  async release(claim: Claim): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { fingerprint: { S: claim.fingerprint } },
          ConditionExpression: 'windowStart = :mine',
          ExpressionAttributeValues: { ':mine': { S: claim.windowStart } },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
