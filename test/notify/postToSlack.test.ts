import { SlackDeliveryError } from '../../lambda/notify/errors';
import { postToSlack } from '../../lambda/notify/postToSlack';
import { FakeWebhook, type Reply } from '../helpers/fakeWebhook';

const payload = { text: 'Upload denied', blocks: [] };

async function deliver(replies: Reply[], maxAttempts = 4) {
  const webhook = new FakeWebhook(replies);
  const url = await webhook.start();
  const delays: number[] = [];
  const retries: string[] = [];
  let error: unknown = null;
  try {
    await postToSlack(url, payload, {
      maxAttempts,
      sleep: async (ms) => {
        delays.push(ms);
      },
      onRetry: (attempt, reason, delay) => retries.push(`${attempt} ${reason} ${delay}`),
    });
  } catch (caught) {
    error = caught;
  } finally {
    await webhook.stop();
  }
  return { webhook, url, delays, retries, error };
}

describe('postToSlack against a local webhook', () => {
  it('posts the payload as JSON once when Slack answers 200', async () => {
    const { webhook, error } = await deliver([{ status: 200 }]);
    expect(error).toBeNull();
    expect(webhook.received).toHaveLength(1);
    expect(webhook.received[0]).toMatchObject({ path: '/services/T000/B000/super-secret-token', contentType: 'application/json' });
    expect(JSON.parse(webhook.received[0]!.body)).toEqual(payload);
  });

  it('waits as long as Retry-After says after a 429, then delivers', async () => {
    const { webhook, delays, error } = await deliver([
      { status: 429, headers: { 'Retry-After': '7' }, body: 'rate_limited' },
      { status: 200 },
    ]);
    expect(error).toBeNull();
    expect(webhook.received).toHaveLength(2);
    expect(delays).toEqual([7000]);
  });

  it('backs off exponentially on 5xx', async () => {
    const { webhook, delays, error } = await deliver([{ status: 500 }, { status: 503 }, { status: 200 }]);
    expect(error).toBeNull();
    expect(webhook.received).toHaveLength(3);
    expect(delays).toEqual([500, 1000]);
  });

  it('gives up after the last attempt and propagates an error that names no secret', async () => {
    const { webhook, error, retries, url } = await deliver([{ status: 500, body: 'internal' }], 3);
    expect(webhook.received).toHaveLength(3);
    expect(error).toBeInstanceOf(SlackDeliveryError);
    expect(error).toMatchObject({ attempts: 3, lastStatus: 500 });
    const said = [(error as Error).message, (error as Error).stack ?? '', ...retries].join('\n');
    expect(said).not.toContain(url);
    expect(said).not.toContain('super-secret-token');
  });

  it('does not retry a payload Slack rejects', async () => {
    const { webhook, error } = await deliver([{ status: 400, body: 'invalid_blocks' }]);
    expect(webhook.received).toHaveLength(1);
    expect((error as Error).message).toContain('HTTP 400 invalid_blocks');
  });

  it('retries when nothing listens, and reports a network error without the URL', async () => {
    const webhook = new FakeWebhook([{ status: 200 }]);
    const url = await webhook.start();
    await webhook.stop();
    const error = await postToSlack(url, payload, { maxAttempts: 2, sleep: async () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackDeliveryError);
    // What failed, as the system said it: connect ECONNREFUSED host:port, not "TypeError" (#25).
    expect((error as Error).message).toMatch(/network error: connect ECONNREFUSED 127\.0\.0\.1:\d+/);
    expect((error as Error).message).not.toContain('super-secret-token');
  });
});
