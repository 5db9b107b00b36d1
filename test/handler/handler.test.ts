/**
 * The real handler module, configured by its environment as in Lambda: DynamoDB is a local dynalite
 * server (AWS_ENDPOINT_URL_DYNAMODB), AWS reads and SNS are aws-sdk-client-mock.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseEvent, parseSnapshot, readEventDocument } from '../../lambda';
import { answerFrom, aws, awsError, resetAws } from '../collect/fakeAccount';
import { OWN_SCENARIOS } from '../helpers/paths';
import { type LocalDynamo, startLocalDynamo } from '../helpers/localDynamo';

const sns = mockClient(SNSClient);
const scenario = join(OWN_SCENARIOS, 'bucket-policy-denies-plain-http');
const record = JSON.parse(readFileSync(join(scenario, 'event.json'), 'utf8'));
const account = parseSnapshot(JSON.parse(readFileSync(join(scenario, 'snapshot.json'), 'utf8')));
const request = parseEvent(readEventDocument(readFileSync(join(scenario, 'event.json')))).requests[0]!;

let dynamo: LocalDynamo;
let handler: (event: SQSEvent, context: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

beforeAll(async () => {
  dynamo = await startLocalDynamo('why-denied-suppression');
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'example',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    ACCOUNT_ID: '210987654321',
    SUPPRESSION_TABLE_NAME: 'why-denied-suppression',
    TOPIC_ARN: 'arn:aws:sns:eu-west-1:210987654321:why-denied',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  ({ handler } = await import('../../lambda/handler/handler'));
});
afterAll(() => dynamo.stop());

beforeEach(async () => {
  await dynamo.clear();
  resetAws();
  sns.reset();
  answerFrom(account, request);
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
});

let messageCounter = 0;
function sqsRecord(body: string): SQSRecord {
  messageCounter += 1;
  return {
    messageId: `msg-${messageCounter}`,
    receiptHandle: 'r',
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:210987654321:why-denied',
    awsRegion: 'eu-west-1',
  };
}

const envelope = (eventId: string, key = 'a.pdf') =>
  JSON.stringify({
    version: '0',
    id: eventId,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.s3',
    detail: { ...record, eventID: eventId, requestParameters: { ...record.requestParameters, key } },
  });
const context = {
  functionName: 'why-denied',
  awsRequestId: 'req',
  invokedFunctionArn: 'arn',
  memoryLimitInMB: '512',
} as unknown as Context;

describe('the Lambda handler', () => {
  it('diagnoses a denial, publishes it once, and suppresses its duplicate in the same window', async () => {
    const result = await handler({ Records: [sqsRecord(envelope('e-1', 'x.pdf')), sqsRecord(envelope('e-2', 'y.pdf'))] }, context);
    expect(result.batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: 'arn:aws:sns:eu-west-1:210987654321:why-denied',
      MessageAttributes: expect.objectContaining({ layer: { DataType: 'String', StringValue: 'bucket-policy' } }),
    });
  });

  it('acknowledges a record that can never be diagnosed instead of retrying it five times', async () => {
    const poison = sqsRecord('{"detail-type": "AWS API Call via CloudTrail", "detail": {"eventName": 7}}');
    const notJson = sqsRecord('{"detail-type": ');
    const good = sqsRecord(envelope('e-3'));
    const result = await handler({ Records: [good, poison, notJson] }, context);
    expect(result.batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('fails only the record whose delivery failed, so it alone is retried', async () => {
    sns.on(PublishCommand).rejects(awsError('KMSAccessDeniedException'));
    const failing = sqsRecord(envelope('e-6'));
    const outOfScope = sqsRecord(
      JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', detail: { ...record, errorCode: 'SlowDown' } }),
    );
    const result = await handler({ Records: [outOfScope, failing] }, context);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: failing.messageId }]);
  });

  it('lets an out-of-scope record through without publishing', async () => {
    const read = sqsRecord(JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', detail: { ...record, eventName: 'GetObject' } }));
    const result = await handler({ Records: [read] }, context);
    expect(result.batchItemFailures).toEqual([]);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('retries a record whose publication failed, and publishes it on the retry', async () => {
    sns.on(PublishCommand).rejectsOnce(awsError('ThrottledException')).resolves({ MessageId: 'm' });
    const first = sqsRecord(envelope('e-4'));
    // A batch whose every record failed fails the invocation, so SQS retries the whole batch.
    await expect(handler({ Records: [first] }, context)).rejects.toBeInstanceOf(FullBatchFailureError);
    const retry = { ...first, attributes: { ...first.attributes, ApproximateReceiveCount: '2' } };
    expect((await handler({ Records: [retry] }, context)).batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('still publishes a partial diagnosis, naming what it could not see, when an AWS read is throttled past its retries', async () => {
    aws.s3.on(GetBucketPolicyCommand).rejects(awsError('SlowDown'));
    // A bucket the container has not cached yet: collector answers are kept across invocations on purpose.
    const body = JSON.parse(envelope('e-5'));
    body.detail.requestParameters.bucketName = 'northwind-archive';
    const result = await handler({ Records: [sqsRecord(JSON.stringify(body))] }, context);
    expect(result.batchItemFailures).toEqual([]);
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(message).toMatch(/not visible\n\s+bucket-policy\s+s3:GetBucketPolicy throttled after retries/);
  });
});
