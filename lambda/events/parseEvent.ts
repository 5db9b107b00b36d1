/** Any of the three shapes a denial arrives in, detected by shape: a record, an EventBridge envelope, a log file. */
import type { DeniedRequest } from '../request';
import { cloudTrailRecordSchema, eventBridgeEnvelopeSchema, logFileSchema } from './cloudTrailRecord';
import { deriveRequest } from './deriveRequest';
import { EventError, MalformedEventError } from './errors';

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

/** One record (bare or from an envelope) → its request, or a typed EventError saying why not. */
export function parseRecord(value: unknown): DeniedRequest {
  const checked = cloudTrailRecordSchema.safeParse(value);
  if (!checked.success) {
    throw new MalformedEventError(`not a CloudTrail record (${describeIssues(checked.error)})`);
  }
  return deriveRequest(checked.data);
}

function parseRecords(records: unknown[]): Pick<ParsedEvent, 'requests' | 'skipped'> {
  const requests: DeniedRequest[] = [];
  const skipped: SkippedRecord[] = [];
  records.forEach((record, index) => {
    try {
      requests.push(parseRecord(record));
    } catch (error) {
      if (!(error instanceof EventError)) throw error;
      const eventId = (record as { eventID?: unknown } | null)?.eventID;
      skipped.push({
        index,
        eventId: typeof eventId === 'string' ? eventId : null,
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
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
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
