import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { batchGet, batchWrite, UnfinishedBatchError } from '../../lambda/suppress/batchItems';

const dynamo = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
beforeEach(() => dynamo.reset());

const key = (k: string) => ({ fingerprint: { S: k } });

describe('batch reads and writes of the suppression table', () => {
  it('asks again for the keys a throttled table left unread, and returns every item found', async () => {
    dynamo
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { t: [{ ...key('a'), n: { N: '1' } }] },
        UnprocessedKeys: { t: { Keys: [key('b')], ConsistentRead: true } },
      })
      .resolvesOnce({ Responses: { t: [{ ...key('b'), n: { N: '2' } }] } });
    const found = await batchGet(client, 't', ['a', 'b', 'a']);
    expect([...found.keys()]).toEqual(['a', 'b']);
    const asked = dynamo.commandCalls(BatchGetItemCommand).map((c) => c.args[0].input.RequestItems?.t);
    expect(asked).toEqual([
      { Keys: [key('a'), key('b')], ConsistentRead: true },
      { Keys: [key('b')], ConsistentRead: true },
    ]);
  });

  it('fails the record, rather than answer from part of the items, when keys stay unread', async () => {
    dynamo.on(BatchGetItemCommand).resolves({ Responses: { t: [] }, UnprocessedKeys: { t: { Keys: [key('a')] } } });
    await expect(batchGet(client, 't', ['a'])).rejects.toBeInstanceOf(UnfinishedBatchError);
    expect(dynamo.commandCalls(BatchGetItemCommand)).toHaveLength(5);
  });

  it('writes again what a throttled table left unwritten', async () => {
    dynamo
      .on(BatchWriteItemCommand)
      .resolvesOnce({ UnprocessedItems: { t: [{ PutRequest: { Item: key('b') } }] } })
      .resolvesOnce({});
    await batchWrite(client, 't', [key('a'), key('b')]);
    const written = dynamo.commandCalls(BatchWriteItemCommand).map((c) => c.args[0].input.RequestItems?.t?.length);
    expect(written).toEqual([2, 1]);
  });
});
