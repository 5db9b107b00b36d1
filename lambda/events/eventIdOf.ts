/**
 * A record's `eventID`, or, when an export dropped it, an id derived from what the record says: the same
 * record always gets the same id, so `explain`, `replay` and alert suppression still agree on it.
 */
import { jsonSha256 } from '../model/jsonSha256';
import type { CloudTrailRecord } from './cloudTrailRecord';

const DERIVED_ID_PREFIX = 'derived-';

/** @example eventIdOf(record) // '83dcb218-…' or 'derived-4f1c…' */
export function eventIdOf(record: CloudTrailRecord): string {
  if (record.eventID) return record.eventID;
  const identity = record.userIdentity;
  const said = [
    record.eventTime,
    record.eventSource,
    record.eventName,
    record.awsRegion,
    record.requestID,
    identity.arn ?? identity.principalId ?? identity.accountId,
    record.sourceIPAddress,
    record.errorCode,
    JSON.stringify(record.requestParameters ?? null),
  ];
  return `${DERIVED_ID_PREFIX}${jsonSha256(said).slice(0, 32)}`;
}

/** The `eventID` of something not yet checked to be a record, for naming it in an error. */
export function eventIdIn(value: unknown): string | null {
  const eventId = (value as { eventID?: unknown } | null)?.eventID;
  return typeof eventId === 'string' ? eventId : null;
}
