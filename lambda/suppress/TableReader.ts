/**
 * Consistent reads of the service table's items, gathered: every read asked for in one turn of the event loop
 * goes out as one BatchGetItem, so a cold start's look-up of the request and its read of the shared organization
 * are one call, not two. DataLoader does the gathering; nothing is cached between turns, each asks the table afresh.
 * https://github.com/graphql/dataloader#batch-scheduling
 */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import DataLoader from 'dataloader';
import { batchGet } from './batchItems';

type Item = Record<string, AttributeValue>;

/** BatchGetItem's limit on keys per call. */
const MOST_KEYS = 100;

export class TableReader {
  private readonly loader: DataLoader<string, Item | null>;

  constructor(client: DynamoDBClient, tableName: string) {
    this.loader = new DataLoader(
      async (keys) => {
        const found = await batchGet(client, tableName, [...keys]);
        return keys.map((key) => found.get(key) ?? null);
      },
      { cache: false, maxBatchSize: MOST_KEYS },
    );
  }

  /** The item keyed `fingerprint`, or null. */
  read(fingerprint: string): Promise<Item | null> {
    return this.loader.load(fingerprint);
  }

  /** The items found, by key; a read that failed fails them all. */
  async readAll(fingerprints: string[]): Promise<Map<string, Item>> {
    const keys = [...new Set(fingerprints)];
    const answers = await this.loader.loadMany(keys);
    const found = new Map<string, Item>();
    answers.forEach((answer, i) => {
      if (answer instanceof Error) throw answer;
      if (answer) found.set(keys[i] as string, answer);
    });
    return found;
  }
}
