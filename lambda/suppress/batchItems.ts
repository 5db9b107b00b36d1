/**
 * Several items of one table in one call each way. A batch call may leave part of its work undone
 * (UnprocessedKeys / UnprocessedItems) when the table is throttled; that part is asked again with backoff,
 * and a batch still unfinished after that fails the record, which SQS retries.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';

const ROUNDS = 5;
const backoff = (round: number) => new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));

export class UnfinishedBatchError extends Error {
  override name = 'UnfinishedBatchError';
}

/** Strongly consistent reads of items keyed by `fingerprint`; at most 100 keys. @returns found items by key */
export async function batchGet(
  client: DynamoDBClient,
  tableName: string,
  keys: string[],
): Promise<Map<string, Record<string, AttributeValue>>> {
  const found = new Map<string, Record<string, AttributeValue>>();
  let asking: KeysAndAttributes | undefined = {
    Keys: [...new Set(keys)].map((key) => ({ fingerprint: { S: key } })),
    ConsistentRead: true,
  };
  for (let round = 0; asking?.Keys?.length; round += 1) {
    if (round === ROUNDS)
      throw new UnfinishedBatchError(`${asking.Keys.length} of ${keys.length} items were still unread after ${ROUNDS} rounds`);
    if (round > 0) await backoff(round);
    const answer: BatchGetItemCommandOutput = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: asking } }));
    for (const item of answer.Responses?.[tableName] ?? []) if (item.fingerprint?.S) found.set(item.fingerprint.S, item);
    asking = answer.UnprocessedKeys?.[tableName];
  }
  return found;
}

/** Unconditional puts; at most 25 items. */
export async function batchWrite(client: DynamoDBClient, tableName: string, items: Record<string, AttributeValue>[]): Promise<void> {
  let writing: WriteRequest[] | undefined = items.map((Item) => ({ PutRequest: { Item } }));
  for (let round = 0; writing?.length; round += 1) {
    if (round === ROUNDS)
      throw new UnfinishedBatchError(`${writing.length} of ${items.length} items were still unwritten after ${ROUNDS} rounds`);
    if (round > 0) await backoff(round);
    const answer: BatchWriteItemCommandOutput = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: writing } }));
    writing = answer.UnprocessedItems?.[tableName];
  }
}
