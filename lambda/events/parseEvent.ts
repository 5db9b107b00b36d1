/** Any of the three shapes a denial arrives in, detected by shape: a record, an EventBridge envelope, a log file. */
import type { DeniedRequest } from '../model/request';
import { cloudTrailRecordSchema, eventBridgeEnvelopeSchema, logFileSchema } from './cloudTrailRecord';
import { deriveRequest } from './deriveRequest';
import { EventError, MalformedEventError } from './errors';
import { eventIdIn } from './eventIdOf';
import { UnreadableLine } from './readEventDocument';

export interface SkippedRecord {
  index: number;
  eventId: string | null;
  reason: string;
  /** A record that is not even well-formed, as opposed to one merely out of scope. */
  malformed: boolean;
}

export interface ParsedEvent {
  form: 'record' | 'envelope' | 'log-file';
  requests: DeniedRequest[];
  skipped: SkippedRecord[];
}

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * One record (bare or from an envelope) → its request, or a typed EventError saying why not. Whatever a
 * hostile record makes the derivation throw is that record's error, never the batch's or the file's.
 */
export function parseRecord(value: unknown): DeniedRequest {
  if (value instanceof UnreadableLine) throw new MalformedEventError(value.reason);
  const checked = cloudTrailRecordSchema.safeParse(value);
  if (!checked.success) {
    throw new MalformedEventError(`not a CloudTrail record (${describeIssues(checked.error)})`, eventIdIn(value));
  }
  try {
    return deriveRequest(checked.data);
  } catch (error) {
    if (error instanceof EventError) throw error;
    throw new MalformedEventError(`record could not be read (${(error as Error).message})`, eventIdIn(value), { cause: error });
  }
}

function parseRecords(records: unknown[]): Pick<ParsedEvent, 'requests' | 'skipped'> {
  const requests: DeniedRequest[] = [];
  const skipped: SkippedRecord[] = [];
  records.forEach((record, index) => {
    try {
      requests.push(parseRecord(record));
    } catch (error) {
      if (!(error instanceof EventError)) throw error;
      skipped.push({
        index,
        eventId: error.eventId ?? eventIdIn(record),
        reason: error.message,
        malformed: error instanceof MalformedEventError,
      });
    }
  });
  return { requests, skipped };
}

/**
 * @example parseEvent(JSON.parse(readFileSync('event.json', 'utf8'))).requests[0]
 */
export function parseEvent(document: unknown): ParsedEvent {
  // `jq .Records` of a log file: the records alone, read as the log file they came from.
  if (Array.isArray(document)) return parseEvent({ Records: document });
  if (typeof document !== 'object' || document === null) {
    throw new MalformedEventError('expected a JSON object: a CloudTrail record, an EventBridge envelope or a log file');
  }
  // The shape is told by one key; a failed schema parse per guess would cost more than the diagnosis.
  if ('detail-type' in document) {
    const envelope = eventBridgeEnvelopeSchema.safeParse(document);
    if (!envelope.success) throw new MalformedEventError(`not an EventBridge CloudTrail envelope (${describeIssues(envelope.error)})`);
    return { form: 'envelope', requests: [parseRecord(envelope.data.detail)], skipped: [] };
  }
  if ('Records' in document) {
    const logFile = logFileSchema.safeParse(document);
    if (!logFile.success) throw new MalformedEventError(`not a CloudTrail log file (${describeIssues(logFile.error)})`);
    return { form: 'log-file', ...parseRecords(logFile.data.Records) };
  }
  if ('eventSource' in document || 'userIdentity' in document) {
    return { form: 'record', requests: [parseRecord(document)], skipped: [] };
  }
  throw new MalformedEventError(
    'not a CloudTrail record (no eventSource/userIdentity), EventBridge envelope (no detail-type) or log file (no Records)',
  );
}
