/**
 * One SQS record: the EventBridge envelope of a CloudTrail record. A record that can never be diagnosed
 * (not JSON, malformed, out of scope) is logged, counted and acknowledged: five retries would not change
 * it. Any other failure is logged with the event id and reason, then rethrown so SQS retries the record
 * and finally dead-letters it.
 */
import type { SQSRecord } from 'aws-lambda';
import { EventError, OutOfScopeEventError } from '../events/errors';
import { eventIdIn } from '../events/eventIdOf';
import { parseEvent } from '../events/parseEvent';
import { countServiceMetric, processRequest, type ServiceDependencies, UploadInFlightError } from './processRequest';
import { SERVICE_METRICS } from './serviceMetrics';

function parseBody(record: SQSRecord): unknown {
  try {
    return JSON.parse(record.body) as unknown;
  } catch (error) {
    throw new EventError(`the message body is not JSON (${(error as Error).message})`);
  }
}

export async function processRecord(record: SQSRecord, deps: ServiceDependencies): Promise<void> {
  let body: unknown = null;
  let parsed: ReturnType<typeof parseEvent>;
  try {
    body = parseBody(record);
    parsed = parseEvent(body);
  } catch (error) {
    if (!(error instanceof EventError)) throw error;
    const outOfScope = error instanceof OutOfScopeEventError;
    const details = {
      messageId: record.messageId,
      eventId: error.eventId ?? eventIdIn((body as { detail?: unknown } | null)?.detail),
      reason: error.message,
    };
    if (outOfScope) deps.logger.info('out of scope', details);
    else deps.logger.warn('rejected: the record can never be diagnosed', details);
    countServiceMetric(deps.metrics, SERVICE_METRICS.rejectedRecords);
    return;
  }
  for (const [index, request] of parsed.requests.entries()) {
    try {
      await processRequest(request, `${record.messageId}#${index}`, deps);
    } catch (error) {
      if (error instanceof UploadInFlightError) {
        deps.logger.info('waiting for the other copy of a cross-account call: the record goes back to the queue', {
          messageId: record.messageId,
          eventId: request.event.id,
        });
        throw error;
      }
      deps.logger.warn('failed: the record goes back to the queue', {
        messageId: record.messageId,
        eventId: request.event.id,
        receiveCount: record.attributes?.ApproximateReceiveCount,
        reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      countServiceMetric(deps.metrics, SERVICE_METRICS.failedRecords);
      throw error;
    }
  }
}
