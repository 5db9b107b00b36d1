import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A real HTTP server on 127.0.0.1 standing in for the webhook, answering from a script. */
export class FakeWebhook {
  readonly received: { path: string; body: string; contentType: string | undefined }[] = [];
  private server: Server | null = null;
  constructor(private readonly replies: Reply[]) {}

  async start(): Promise<string> {
    this.server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        this.received.push({ path: request.url ?? '', body, contentType: request.headers['content-type'] });
        const reply = this.replies[Math.min(this.received.length - 1, this.replies.length - 1)]!;
        response.writeHead(reply.status, reply.headers ?? {});
        response.end(reply.body ?? (reply.status === 200 ? 'ok' : 'error'));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/services/T000/B000/super-secret-token`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
