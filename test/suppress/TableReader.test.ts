/**
 * Reads of the service table asked for in one turn go out as one BatchGetItem: on a cold start, the request's
 * look-up and the shared organization's read are one call (#26).
 */
import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoOrganizationStore } from '../../lambda/collect/SharedOrganization';
import { AlertSuppressor } from '../../lambda/suppress/AlertSuppressor';
import { TableReader } from '../../lambda/suppress/TableReader';

const dynamo = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
beforeEach(() => dynamo.reset());

const NOW = new Date('2026-12-05T03:00:00Z');
const organizationItem = {
  fingerprint: { S: 'organization:1|2' },
  organization: { S: JSON.stringify({ organization: null, unseen: [] }) },
  expiresAt: { N: String(NOW.getTime() / 1000 + 600) },
};

describe('the table’s gathered reads', () => {
  it('send the look-up and the shared organization’s read, asked in one turn, as one BatchGetItem', async () => {
    dynamo.on(BatchGetItemCommand).resolves({ Responses: { t: [organizationItem] } });
    const reader = new TableReader(client, 't');
    const store = new DynamoOrganizationStore(client, 't', 900, () => NOW, reader);
    const suppressor = new AlertSuppressor(client, 't', { windowSeconds: 3600, leaseSeconds: 90 }, reader);
    const [shared, lookUp] = await Promise.all([
      store.get('1|2'),
      suppressor.lookUp('role|bucket|folder', { eventId: 'e', service: 's3', at: null, keys: ['s3:e'] }, NOW),
    ]);
    expect(shared).toEqual({ organization: null, unseen: [] });
    expect(lookUp).toEqual({ repeat: false, alertedBy: null });
    const asked = dynamo.commandCalls(BatchGetItemCommand).map((c) => c.args[0].input.RequestItems?.t?.Keys?.map((k) => k.fingerprint?.S));
    expect(asked).toEqual([['organization:1|2', 'request:role|bucket|folder', 'upload:s3:e']]);
  });

  it('ask afresh in every turn: nothing is kept between them', async () => {
    dynamo.on(BatchGetItemCommand).resolves({ Responses: { t: [] } });
    const reader = new TableReader(client, 't');
    await reader.read('a');
    await reader.read('a');
    expect(dynamo.commandCalls(BatchGetItemCommand)).toHaveLength(2);
  });

  it('fail every read of a batch the table would not finish', async () => {
    dynamo.on(BatchGetItemCommand).rejects(new Error('throttled'));
    const reader = new TableReader(client, 't');
    await expect(reader.readAll(['a', 'b'])).rejects.toThrow('throttled');
  });
});
