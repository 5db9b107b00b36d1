/**
 * A fresh Lambda container, as far as the bench can make one: loads the bundle (its module init timed),
 * runs the first batch at once (the cold invocation), then each batch the parent sends (warm ones).
 * Each run reports when it started, so the parent can time the wait until Slack heard of it.
 */
import type { Context, SQSEvent } from 'aws-lambda';

type Handler = (event: SQSEvent, context: Context) => Promise<unknown>;

const nowMs = () => performance.timeOrigin + performance.now();
const context = {
  functionName: 'why-denied-bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:why-denied-bench',
  memoryLimitInMB: '512',
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

async function run(handler: Handler, batch: SQSEvent, startedAt: number): Promise<void> {
  const response = await handler(batch, context);
  process.send?.({ kind: 'ran', startedAt, finishedAt: nowMs(), response });
}

const startedAt = nowMs();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle's path is known only at run time
const { handler } = require(process.argv[2]!) as { handler: Handler };
const initMs = nowMs() - startedAt;
const first = JSON.parse(process.argv[3]!) as SQSEvent;
process.send?.({ kind: 'loaded', initMs });
void run(handler, first, startedAt).then(() => {
  process.on('message', (batch: SQSEvent) => void run(handler, batch, nowMs()));
});
