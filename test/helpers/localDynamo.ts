/** dynalite: a DynamoDB-compatible server, in-process, on 127.0.0.1 — real conditional writes, not a mock. */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  /** Empties the table, so each test starts with no window claimed. */
  clear: () => Promise<void>;
  stop: () => Promise<void>;
}

export async function startLocalDynamo(tableName: string, keyName = 'fingerprint'): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, updateTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: keyName, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: keyName, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const clear = async () => {
    const items = await client.send(new ScanCommand({ TableName: tableName }));
    await Promise.all(
      (items.Items ?? []).map((item) => client.send(new DeleteItemCommand({ TableName: tableName, Key: { [keyName]: item[keyName]! } }))),
    );
  };
  return { endpoint, client, clear, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
