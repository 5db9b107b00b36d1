/**
 * One SQS record: the EventBridge envelope of a CloudTrail record. Out-of-scope records are logged and
 * done with; a malformed one throws, so it is retried and then kept in the dead-letter queue for a person.
 */
import type { SQSRecord } from 'aws-lambda';
import { OutOfScopeEventError } from '../events/errors';
import { parseEvent } from '../events/parseEvent';
import { processRequest, type ServiceDependencies } from './processRequest';

export async function processRecord(record: SQSRecord, deps: ServiceDependencies): Promise<void> {
  let parsed: ReturnType<typeof parseEvent>;
  try {
    parsed = parseEvent(JSON.parse(record.body) as unknown);
  } catch (error) {
    if (error instanceof OutOfScopeEventError) {
      deps.logger.info('out of scope', { messageId: record.messageId, reason: error.message });
      return;
    }
    throw error;
  }
  for (const request of parsed.requests) await processRequest(request, deps);
}
