import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { AlertSuppressor, type SuppressionDecision } from '../../lambda/suppress/AlertSuppressor';
import { type LocalDynamo, startLocalDynamo } from '../helpers/localDynamo';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo('suppression');
});
afterAll(() => dynamo.stop());
beforeEach(() => dynamo.clear());

const at = (time: string) => new Date(`2026-11-20T${time}Z`);
const settings = { windowSeconds: 3600, leaseSeconds: 90 };
const suppressor = () => new AlertSuppressor(dynamo.client, 'suppression', settings);
const FP = 'role|bucket|s3:PutObject|bucket-policy|Deny';
const BOTH = ['sns', 'slack'];
/** A request whose upload has no keys of its own: only the request's item is looked up. */
const NO_UPLOAD = { eventId: 'e0', service: 's3' as const, at: null, keys: [] };
const repeatOf = async (s: AlertSuppressor, key: string, now: Date) => (await s.lookUp(key, NO_UPLOAD, now)).repeat;

function claimed(decision: SuppressionDecision) {
  if (!decision.publish) throw new Error('expected the claim to publish');
  return decision.claim;
}

async function deliverAll(s: AlertSuppressor, decision: SuppressionDecision) {
  const claim = claimed(decision);
  await s.delivered(claim, [...claim.pending]);
}

describe('AlertSuppressor against a local DynamoDB', () => {
  it('publishes the first denial of a window, holds back repeats, and reports them with the next window’s first', async () => {
    const s = suppressor();
    const first = await s.claim(FP, { claimant: 'm1', channels: BOTH, now: at('09:15:00') });
    expect(claimed(first)).toMatchObject({ repeats: null, pending: BOTH });
    await deliverAll(s, first);
    expect(await s.claim(FP, { claimant: 'm2', channels: BOTH, now: at('09:20:00') })).toEqual({ publish: false });
    expect(await s.claim(FP, { claimant: 'm3', channels: BOTH, now: at('10:14:59') })).toEqual({ publish: false });
    const next = await s.claim(FP, { claimant: 'm4', channels: BOTH, now: at('10:15:00') });
    expect(claimed(next).repeats).toEqual({ count: 2, since: '2026-11-20T09:15:00.000Z' });
  });

  it('resumes its own claim on a retry and sends only the channel that failed', async () => {
    const s = suppressor();
    const first = claimed(await s.claim(FP, { claimant: 'm1', channels: BOTH, now: at('09:00:00') }));
    await s.delivered(first, ['sns']);
    // Slack failed; SQS hands the same message back.
    const retry = claimed(await s.claim(FP, { claimant: 'm1', channels: BOTH, now: at('09:06:10') }));
    expect(retry.pending).toEqual(['slack']);
  });

  it('keeps the repeat count a retry reports', async () => {
    const s = suppressor();
    await deliverAll(s, await s.claim(FP, { claimant: 'm1', channels: ['sns'], now: at('08:00:00') }));
    await s.claim(FP, { claimant: 'm2', channels: ['sns'], now: at('08:30:00') });
    const next = claimed(await s.claim(FP, { claimant: 'm3', channels: BOTH, now: at('09:00:00') }));
    await s.delivered(next, ['sns']);
    const retry = claimed(await s.claim(FP, { claimant: 'm3', channels: BOTH, now: at('09:01:00') }));
    expect(retry.repeats).toEqual({ count: 1, since: '2026-11-20T08:00:00.000Z' });
  });

  it('lets a repeat take over a claim whose owner was killed before delivering, once the lease lapses', async () => {
    const s = suppressor();
    claimed(await s.claim(FP, { claimant: 'killed', channels: BOTH, now: at('09:00:00') }));
    expect(await s.claim(FP, { claimant: 'm2', channels: BOTH, now: at('09:01:00') })).toEqual({ publish: false });
    const takeover = claimed(await s.claim(FP, { claimant: 'm3', channels: BOTH, now: at('09:01:31') }));
    expect(takeover.pending).toEqual(BOTH);
    await deliverAll(s, { publish: true, claim: takeover });
    // The killed owner's late retry finds the alert delivered.
    expect(await s.claim(FP, { claimant: 'killed', channels: BOTH, now: at('09:06:10') })).toEqual({ publish: false });
  });

  it('never leaves an item without an expiry, whatever order two invocations interleave in', async () => {
    // The race that once silenced a fingerprint forever: A claims and fails, B counts a repeat meanwhile.
    const s = suppressor();
    const a = claimed(await s.claim(FP, { claimant: 'A', channels: ['sns'], now: at('09:00:00') }));
    expect(await s.claim(FP, { claimant: 'B', channels: ['sns'], now: at('09:00:01') })).toEqual({ publish: false });
    const items = await dynamo.client.send(new ScanCommand({ TableName: 'suppression' }));
    expect(items.Items?.every((item) => item.expiresAt?.N)).toBe(true);
    // A's retry still delivers.
    expect(claimed(await s.claim(FP, { claimant: 'A', channels: ['sns'], now: at('09:06:10') })).pending).toEqual(a.pending);
  });

  it('keeps fingerprints apart', async () => {
    const s = suppressor();
    expect((await s.claim('a', { claimant: 'm1', channels: BOTH, now: at('09:00:00') })).publish).toBe(true);
    expect((await s.claim('b', { claimant: 'm2', channels: BOTH, now: at('09:00:01') })).publish).toBe(true);
  });

  it('turns a concurrent burst into exactly one alert and a correct count', async () => {
    const s = suppressor();
    const burst = 500;
    let published = 0;
    for (let wave = 0; wave < burst / 50; wave += 1) {
      const decisions = await Promise.all(
        Array.from({ length: 50 }, (_, i) => s.claim('burst', { claimant: `m-${wave}-${i}`, channels: BOTH, now: at('11:00:00') })),
      );
      published += decisions.filter((d) => d.publish).length;
    }
    expect(published).toBe(1);
    const item = await dynamo.client.send(new GetItemCommand({ TableName: 'suppression', Key: { fingerprint: { S: 'burst' } } }));
    expect(item.Item?.suppressed?.N).toBe(String(burst - 1));
  });

  it('counts a repeat of an alerted request before any read, only once every channel has it', async () => {
    const s = suppressor();
    expect(await repeatOf(s, 'req', at('09:00:00'))).toBe(false);
    const claim = claimed(await s.claim(FP, { claimant: 'm1', channels: BOTH, now: at('09:00:00') }));
    await s.remember('req', NO_UPLOAD, claim);
    expect(await repeatOf(s, 'req', at('09:00:05'))).toBe(false);
    await deliverAll(s, { publish: true, claim });
    expect(await repeatOf(s, 'req', at('09:00:06'))).toBe(true);
    expect(await repeatOf(s, 'req', at('10:00:00'))).toBe(false);
    const item = await dynamo.client.send(new GetItemCommand({ TableName: 'suppression', Key: { fingerprint: { S: FP } } }));
    expect(item.Item?.suppressed?.N).toBe('1');
  });
});

describe('the warm path’s round trips (#26)', () => {
  /** A client that counts how many calls are in flight at once, over the real table. */
  function countingClient() {
    let inFlight = 0;
    const seen = { most: 0, calls: 0 };
    const client = {
      send: async (command: Parameters<typeof dynamo.client.send>[0]) => {
        inFlight += 1;
        seen.calls += 1;
        seen.most = Math.max(seen.most, inFlight);
        try {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return await dynamo.client.send(command);
        } finally {
          inFlight -= 1;
        }
      },
    } as unknown as typeof dynamo.client;
    return { client, seen };
  }

  it('looks a request and its upload up in one read, and remembers them in one write', async () => {
    const { client, seen } = countingClient();
    const s = new AlertSuppressor(client, 'suppression', settings);
    const upload = { eventId: 'e1', service: 's3' as const, at: 1_795_000_000, keys: ['object:a', 'object:b', 'shared:c'] };
    expect(await s.lookUp('req', upload, at('09:00:00'))).toEqual({ repeat: false, alertedBy: null });
    expect(seen.calls).toBe(1);
    const claim = claimed(await suppressor().claim(FP, { claimant: 'm1', channels: BOTH, now: at('09:00:00') }));
    await s.remember('req', upload, claim);
    expect(seen.calls).toBe(2);
    await s.delivered(claim, BOTH);
    const other = { ...upload, eventId: 'e2', service: 'kms' as const };
    expect(await s.lookUp('other-req', other, at('09:00:01'))).toEqual({ repeat: false, alertedBy: 'e1' });
    expect(await s.lookUp('req', upload, at('09:00:02'))).toEqual({ repeat: true, alertedBy: null });
  });
});
