/**
 * The deployed bundle run as a Lambda container would run it, against the stand-in: a fresh Node process
 * whose HTTPS goes to the stand-in (redirectToStandIn), its environment as the stack sets it, its first
 * batch cold and any others warm. Used by the live-path bench and by the test of the deployed path.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import type { Call, StandIn } from './awsStandIn';

export interface ContainerRun {
  /** When the batch started: before the module loaded, for the first. */
  startedAt: number;
  calls: Call[];
  slack: { at: number; body: string }[];
}

/** One record as the queue delivers it: inside the EventBridge envelope its kind of event comes in. */
export function sqsBatchOf(record: Record<string, unknown>, run: string): SQSEvent {
  const detail = { ...record, eventID: `run-${run}`, requestID: `RUN${run.replace(/\W/g, '').toUpperCase()}` };
  const detailType =
    record.eventCategory === 'NetworkActivity' ? 'AWS Network Activity Event via CloudTrail' : 'AWS API Call via CloudTrail';
  const body = JSON.stringify({ 'detail-type': detailType, source: 'aws.s3', id: `envelope-${run}`, detail });
  return {
    Records: [
      {
        messageId: `message-${run}`,
        receiptHandle: 'r',
        body,
        attributes: { ApproximateReceiveCount: '1' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:q',
        awsRegion: 'eu-west-1',
      },
    ],
  } as unknown as SQSEvent;
}

/** The diagnoser's environment as WhyDenied sets it, its credentials fake and its network the stand-in. */
export function containerEnvironment(options: {
  standIn: StandIn;
  accountId: string;
  table: string;
  root: string;
  /** The read-only role the deployment assumes in other accounts (`crossAccountRoleName`), if any. */
  crossAccountRoleName?: string;
}): NodeJS.ProcessEnv {
  return {
    ...(options.crossAccountRoleName ? { CROSS_ACCOUNT_ROLE_NAME: options.crossAccountRoleName } : {}),
    PATH: process.env.PATH,
    // The one module the bundle leaves to the Lambda runtime's SDK (see lib/serviceFunction.ts).
    NODE_PATH: join(options.root, 'node_modules'),
    NODE_NO_WARNINGS: '1',
    WHY_DENIED_STAND_IN_PORT: String(options.standIn.port),
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDSTANDIN',
    AWS_SECRET_ACCESS_KEY: 'stand-in',
    AWS_SESSION_TOKEN: 'stand-in',
    AWS_EC2_METADATA_DISABLED: 'true',
    ACCOUNT_ID: options.accountId,
    SUPPRESSION_TABLE_NAME: options.table,
    SUPPRESSION_WINDOW_SECONDS: '3600',
    CLAIM_LEASE_SECONDS: '90',
    LOOKUP_EVENTS_PER_SECOND: '0.4',
    POWERTOOLS_SERVICE_NAME: 'why-denied',
    POWERTOOLS_METRICS_NAMESPACE: 'WhyDenied',
    TOPIC_ARN: `arn:aws:sns:eu-west-1:${options.accountId}:why-denied`,
    SLACK_WEBHOOK_SECRET_NAME: 'why-denied/slack-webhook',
  };
}

type Message = { kind: 'loaded'; initMs: number } | { kind: 'ran'; startedAt: number; finishedAt: number };

/**
 * One container: its first batch runs cold; each later one runs warm after `between`.
 * @param scripts the folder of the compiled runBundle.js and redirectToStandIn.js
 */
export async function runContainer(options: {
  bundle: string;
  scripts: string;
  standIn: StandIn;
  env: NodeJS.ProcessEnv;
  batches: SQSEvent[];
  between?: () => Promise<void>;
}): Promise<ContainerRun[]> {
  const { standIn, batches } = options;
  const runs: ContainerRun[] = [];
  const child = fork(join(options.scripts, 'runBundle.js'), [options.bundle, JSON.stringify(batches[0])], {
    execArgv: ['-r', join(options.scripts, 'redirectToStandIn.js')],
    env: options.env,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let next = 1;
  let callsBefore = standIn.calls.length;
  let slackBefore = standIn.slackMessages.length;
  await new Promise<void>((resolveAll, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code ? reject(new Error(`the container exited with ${code}`)) : resolveAll()));
    child.on('message', (message: Message) => {
      if (message.kind !== 'ran') return;
      void (async () => {
        runs.push({
          startedAt: message.startedAt,
          calls: standIn.calls.slice(callsBefore),
          slack: standIn.slackMessages.slice(slackBefore),
        });
        if (next >= batches.length) {
          child.kill();
          return;
        }
        await options.between?.();
        callsBefore = standIn.calls.length;
        slackBefore = standIn.slackMessages.length;
        child.send(batches[next]);
        next += 1;
      })().catch((error: unknown) => {
        child.kill();
        reject(error as Error);
      });
    });
  });
  return runs;
}
