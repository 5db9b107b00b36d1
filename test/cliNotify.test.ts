import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { OWN_SCENARIOS } from './helpers/paths';
import { runCli, runCliAsync } from './helpers/runCli';

const scenario = join(OWN_SCENARIOS, 'bucket-policy-denies-plain-http');
const args = ['explain', '--event', join(scenario, 'event.json'), '--snapshot', join(scenario, 'snapshot.json')];

async function withWebhook(status: number, run: (url: string) => Promise<void>): Promise<string[]> {
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (c) => {
      body += c;
    });
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(status).end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/services/secret-path`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return bodies;
}

describe('why-denied explain --format slack|sns and --slack-webhook', () => {
  it('prints the exact Block Kit payload', () => {
    const result = runCli([...args, '--format', 'slack']);
    expect(result.status).toBe(0);
    expect(Object.keys(JSON.parse(result.stdout))).toEqual(['text', 'blocks']);
  });

  it('prints the SNS PublishCommand input', () => {
    const result = runCli([...args, '--format', 'sns', '--sns-topic', 'arn:aws:sns:eu-west-1:1:t']);
    expect(JSON.parse(result.stdout)).toMatchObject({
      TopicArn: 'arn:aws:sns:eu-west-1:1:t',
      Subject: expect.any(String),
      Message: expect.any(String),
    });
  });

  it('refuses a webhook that is neither https nor loopback', () => {
    expect(runCli([...args, '--slack-webhook', 'http://example.invalid/x']).status).toBe(2);
  });

  it('posts the Slack message to the webhook from the environment', async () => {
    const bodies = await withWebhook(200, async (url) => {
      const result = await runCliAsync(args, { WHY_DENIED_SLACK_WEBHOOK: url });
      expect(result.status).toBe(0);
      expect(result.stderr).toContain('posted 1 diagnosis message(s) to Slack');
    });
    expect(JSON.parse(bodies[0]!)).toMatchObject({ text: expect.stringContaining('Upload denied by the bucket policy') });
  });

  it('exits 1 when Slack keeps failing, without printing the webhook URL', async () => {
    await withWebhook(500, async (url) => {
      const result = await runCliAsync(args, { WHY_DENIED_SLACK_WEBHOOK: url });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Slack webhook delivery failed: HTTP 500');
      expect(result.stderr).not.toContain('secret-path');
    });
  }, 20_000);
});
