import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { AlertSuppressor } from '../../lambda/suppress/AlertSuppressor';
import { type LocalDynamo, startLocalDynamo } from '../helpers/localDynamo';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo('suppression');
});
afterAll(() => dynamo.stop());

const at = (time: string) => new Date(`2026-11-20T${time}Z`);

describe('AlertSuppressor against a local DynamoDB', () => {
  it('publishes the first denial of a window, holds back repeats, and reports them with the next window’s first', async () => {
    const suppressor = new AlertSuppressor(dynamo.client, 'suppression', 3600);
    expect(await suppressor.check('role|bucket|s3:PutObject|bucket-policy|Deny', at('09:15:00'))).toMatchObject({
      publish: true,
      repeats: null,
    });
    expect(await suppressor.check('role|bucket|s3:PutObject|bucket-policy|Deny', at('09:20:00'))).toEqual({ publish: false });
    expect(await suppressor.check('role|bucket|s3:PutObject|bucket-policy|Deny', at('10:14:59'))).toEqual({ publish: false });
    expect(await suppressor.check('role|bucket|s3:PutObject|bucket-policy|Deny', at('10:15:00'))).toMatchObject({
      publish: true,
      repeats: { count: 2, since: '2026-11-20T09:15:00.000Z' },
    });
  });

  it('gives a failed publication’s claim back, so the retry publishes, and leaves a newer claim alone', async () => {
    const suppressor = new AlertSuppressor(dynamo.client, 'suppression', 3600);
    const decision = await suppressor.check('release', at('12:00:00'));
    if (!decision.publish) throw new Error('expected the first check to publish');
    await suppressor.release(decision.claim);
    expect((await suppressor.check('release', at('12:00:05'))).publish).toBe(true);
    await suppressor.release({ ...decision.claim, windowStart: 'an older window' });
    expect((await suppressor.check('release', at('12:00:06'))).publish).toBe(false);
  });

  it('keeps fingerprints apart', async () => {
    const suppressor = new AlertSuppressor(dynamo.client, 'suppression', 3600);
    expect((await suppressor.check('a', at('09:00:00'))).publish).toBe(true);
    expect((await suppressor.check('b', at('09:00:01'))).publish).toBe(true);
  });

  it('turns a concurrent burst into exactly one alert and a correct count', async () => {
    const suppressor = new AlertSuppressor(dynamo.client, 'suppression', 3600);
    const burst = 500;
    let published = 0;
    for (let wave = 0; wave < burst / 50; wave += 1) {
      const decisions = await Promise.all(Array.from({ length: 50 }, () => suppressor.check('burst', at('11:00:00'))));
      published += decisions.filter((d) => d.publish).length;
    }
    expect(published).toBe(1);
    const item = await dynamo.client.send(new GetItemCommand({ TableName: 'suppression', Key: { fingerprint: { S: 'burst' } } }));
    expect(item.Item?.suppressed?.N).toBe(String(burst - 1));
  });
});
