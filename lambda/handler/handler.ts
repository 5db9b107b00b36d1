/**
 * The Lambda entry point: a batch of SQS records, each an EventBridge envelope of a denied CloudTrail
 * record. A record that fails is reported in batchItemFailures, retried by SQS and finally dead-lettered;
 * its neighbours are not affected.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/batch/
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { dependenciesFrom } from './dependencies';
import { processRecord } from './processRecord';

const processor = new BatchProcessor(EventType.SQS);
const dependencies = dependenciesFrom(process.env);

export const handler = async (event: SQSEvent, context: Context) => {
  dependencies.logger.addContext(context);
  try {
    return await processPartialResponse(event, (record: SQSRecord) => processRecord(record, dependencies), processor, { context });
  } finally {
    await dependencies.written?.();
    dependencies.metrics.publishStoredMetrics();
  }
};
