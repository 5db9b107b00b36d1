/**
 * The organization's structure and policies, shared by every container through the suppression table:
 * they are eleven or so of a cold diagnosis's twenty-odd AWS calls, change rarely, and are the same for
 * every denial between one pair of accounts. One item per pair of accounts, with a short expiry; what the
 * collectors could not see of it (a refusal in a member account) is kept with it, so it is said again.
 * A failure to read or write the shared copy costs only the calls it would have saved.
 */
import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { TableReader } from '../suppress/TableReader';
import type { OrganizationSnapshot, UnseenLayer } from '../model/snapshot';

export interface OrganizationReading {
  organization: OrganizationSnapshot | null | undefined;
  unseen: UnseenLayer[];
}

export interface SharedOrganizationStore {
  get(accounts: string): Promise<OrganizationReading | null>;
  put(accounts: string, reading: OrganizationReading): Promise<void>;
  /** Every `put` started and not yet finished: awaited before the invocation ends, never before the alert. */
  written?(): Promise<void>;
}

const PREFIX = 'organization:';

export class DynamoOrganizationStore implements SharedOrganizationStore {
  private readonly writing = new Set<Promise<void>>();

  /**
   * @param reader the table's gathered reads: on a cold start this read goes out in the same BatchGetItem as the
   * request's look-up
   */
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly ttlSeconds: number,
    private readonly now: () => Date = () => new Date(),
    private readonly reader: TableReader = new TableReader(client, tableName),
  ) {}

  async get(accounts: string): Promise<OrganizationReading | null> {
    try {
      const item = await this.reader.read(PREFIX + accounts);
      const expiresAt = Number(item?.expiresAt?.N ?? '0');
      const body = item?.organization?.S;
      if (!body || expiresAt <= Math.floor(this.now().getTime() / 1000)) return null;
      const parsed = JSON.parse(body) as { organization?: OrganizationSnapshot | null; unseen: UnseenLayer[] };
      // JSON has no undefined: an organization that could not be read is stored without the field.
      return { organization: 'organization' in parsed ? parsed.organization : undefined, unseen: parsed.unseen };
    } catch {
      return null;
    }
  }

  put(accounts: string, reading: OrganizationReading): Promise<void> {
    const write = this.write(accounts, reading).finally(() => this.writing.delete(write));
    this.writing.add(write);
    return write;
  }

  async written(): Promise<void> {
    await Promise.all([...this.writing]);
  }

  private async write(accounts: string, reading: OrganizationReading): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            fingerprint: { S: PREFIX + accounts },
            organization: { S: JSON.stringify(reading) },
            expiresAt: { N: String(Math.floor(this.now().getTime() / 1000) + this.ttlSeconds) },
          },
        }),
      );
    } catch {
      // Not shared this time: the next container reads Organizations itself.
    }
  }
}
