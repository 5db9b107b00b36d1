/**
 * The account's 2 LookupEvents calls a second, shared by every instance through the table (#26): one
 * instance alone gets both, several together never get more, and a table that cannot be asked leaves each
 * instance its own share. DynamoDB is dynalite: real conditional writes.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { RateLimitedError, type CallBudget } from '../../lambda/collect/RateLimiter';
import { SharedRateLimiter } from '../../lambda/collect/SharedRateLimiter';
import { type LocalDynamo, startLocalDynamo } from '../helpers/localDynamo';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo('suppression');
});
afterAll(() => dynamo.stop());
beforeEach(() => dynamo.clear());

/** A clock that only moves when a caller sleeps, so every test is exact and instant. */
function clock(start = 1_795_000_000_000) {
  let now = start;
  return { now: () => now, sleep: async (ms: number) => void (now += ms), elapsed: () => now - start };
}

const SCOPE = '111122223333:eu-west-1';

function limiter(
  time: ReturnType<typeof clock>,
  client = dynamo.client,
  fallback: CallBudget = { take: async () => undefined },
  scope = SCOPE,
) {
  return new SharedRateLimiter({
    client,
    tableName: 'suppression',
    keyName: 'fingerprint',
    scope,
    perSecond: 2,
    maxWaitMs: 4_000,
    fallback,
    ...time,
  });
}

/** How many of the account's calls the table has given out for the second `at` falls in. */
async function callsGivenAt(at: number): Promise<number> {
  const item = await dynamo.client.send(
    new GetItemCommand({ TableName: 'suppression', Key: { fingerprint: { S: `lookup-events:${SCOPE}:${Math.floor(at / 1000)}` } } }),
  );
  return Number(item.Item?.calls?.N ?? '0');
}

describe('the shared LookupEvents budget', () => {
  it('gives an instance alone both calls of a second, and the third the next second', async () => {
    const time = clock();
    const alone = limiter(time);
    await alone.take();
    await alone.take();
    expect(time.elapsed()).toBe(0);
    await alone.take();
    expect(time.elapsed()).toBe(1000);
  });

  it('never gives several instances together more than the account’s two a second', async () => {
    const time = clock();
    const [a, b] = [limiter(time), limiter(time)];
    await a.take();
    await b.take();
    expect(time.elapsed()).toBe(0);
    await b.take();
    expect(time.elapsed()).toBe(1000);
  });

  it('refuses a call that would wait past its limit, so a slow lookup cannot stall the batch', async () => {
    const time = clock();
    // Other instances hold every slot of the next five seconds.
    const second = Math.floor(time.now() / 1000);
    for (let s = second; s < second + 6; s += 1) {
      await dynamo.client.send(
        new PutItemCommand({ TableName: 'suppression', Item: { fingerprint: { S: `lookup-events:${SCOPE}:${s}` }, calls: { N: '2' } } }),
      );
    }
    await expect(limiter(time).take()).rejects.toBeInstanceOf(RateLimitedError);
    expect(time.elapsed()).toBeLessThanOrEqual(4_000);
  });

  it('keeps to the instance’s own share when the table cannot be asked', async () => {
    const time = clock();
    let fellBack = 0;
    const broken = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      maxAttempts: 1,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    await limiter(time, broken, { take: async () => void (fellBack += 1) }).take();
    expect(fellBack).toBe(1);
  });

  it('lets a call use the slot reserved for it in the same second, without asking the table again', async () => {
    const time = clock();
    const alone = limiter(time);
    alone.reserve();
    await alone.take();
    expect(await callsGivenAt(time.now())).toBe(1);
    expect(time.elapsed()).toBe(0);
  });

  it('does not use a slot reserved in an earlier second: the account may have spent this one', async () => {
    const time = clock();
    const alone = limiter(time);
    alone.reserve();
    await time.sleep(1000);
    await alone.take();
    expect(await callsGivenAt(time.now() - 1000)).toBe(1);
    expect(await callsGivenAt(time.now())).toBe(1);
  });

  it('reserves nothing when the second is full, so reserving never exceeds the account’s two', async () => {
    const time = clock();
    const [a, b] = [limiter(time), limiter(time)];
    await a.take();
    await a.take();
    b.reserve();
    await b.take();
    expect(time.elapsed()).toBe(1000);
    expect(await callsGivenAt(time.now() - 1000)).toBe(2);
  });

  it('is each account’s in each region: another account, or another region, has its own two a second', async () => {
    const time = clock();
    const here = limiter(time);
    await here.take();
    await here.take();
    const noFallback = { take: async () => undefined };
    await limiter(time, dynamo.client, noFallback, '444455556666:eu-west-1').take();
    await limiter(time, dynamo.client, noFallback, '111122223333:us-east-1').take();
    expect(time.elapsed()).toBe(0);
    await here.take();
    expect(time.elapsed()).toBe(1000);
  });
});
