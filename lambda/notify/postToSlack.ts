/**
 * Posts a payload to a Slack incoming webhook. 429 and 5xx are retried with backoff, honouring Retry-After;
 * other 4xx are final. After the last attempt the failure propagates: a diagnosis is never dropped silently.
 * The webhook URL is a secret: it is never logged and never put in an error.
 * https://api.slack.com/messaging/webhooks#handling_errors
 */
import { SlackDeliveryError } from './errors';
import type { SlackReply } from './slackBlocks';

export interface SlackDeliveryOptions {
  maxAttempts?: number;
  /** First backoff; doubles each retry, capped by `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told about each failed attempt, with the status and never the URL. */
  onRetry?: (attempt: number, reason: string, delayMs: number) => void;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function retryAfterMs(header: string | null, fallback: number, cap: number): number {
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, cap) : fallback;
}

/** @example await postToSlack(process.env.SLACK_WEBHOOK_URL!, slackPayload(diagnosis)) */
export async function postToSlack(webhookUrl: string, payload: SlackReply, options: SlackDeliveryOptions = {}): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelay = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? sleepFor;
  const body = JSON.stringify(payload);
  let lastStatus: number | null = null;
  let lastReason = '';

  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    let retryAfter: string | null = null;
    try {
      const response = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (response.ok) return;
      lastStatus = response.status;
      lastReason = `HTTP ${response.status} ${(await response.text()).slice(0, 200)}`.trim();
      retryAfter = response.headers.get('retry-after');
      if (response.status !== 429 && response.status < 500) break;
    } catch (error) {
      lastStatus = null;
      lastReason = `network error: ${networkReason(error)}`;
    }
    if (attempt === maxAttempts) break;
    const backoff = Math.min(baseDelay * 2 ** (attempt - 1), maxDelay);
    const delay = lastStatus === 429 ? retryAfterMs(retryAfter, backoff, maxDelay) : backoff;
    options.onRetry?.(attempt, lastReason, delay);
    await sleep(delay);
  }
  throw new SlackDeliveryError(`Slack webhook delivery failed: ${lastReason}`, maxAttempts, lastStatus);
}

/**
 * What fetch's "TypeError: fetch failed" hides in its cause: `connect ECONNREFUSED 127.0.0.1:9`,
 * `getaddrinfo ENOTFOUND hooks.example`, a timeout. Never the URL itself: the webhook path is a secret.
 */
function networkReason(error: unknown): string {
  const cause = (
    error as { cause?: { code?: unknown; syscall?: unknown; address?: unknown; port?: unknown; hostname?: unknown; name?: unknown } }
  )?.cause;
  if (cause && typeof cause.code === 'string') {
    const where =
      typeof cause.address === 'string'
        ? `${cause.address}${typeof cause.port === 'number' ? `:${cause.port}` : ''}`
        : typeof cause.hostname === 'string'
          ? cause.hostname
          : '';
    return [typeof cause.syscall === 'string' ? cause.syscall : null, cause.code, where || null].filter(Boolean).join(' ');
  }
  return (error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError'
    ? 'timed out'
    : ((error as Error)?.name ?? 'unknown');
}
