/**
 * One row of `cloudTrailQuery` back into the CloudTrail record it was read from, so it goes through the
 * same parse as a record from a log file. Athena returns every value as text and NULL as no value; the
 * JSON columns (requestParameters, additionalEventData) are JSON text in the table, as in the log.
 */
import { UnreadableLine } from '../events/readEventDocument';
import { RESOURCE_FIELDS, SELECTED_FIELDS } from './cloudTrailQuery';

type Json = Record<string, unknown>;

const JSON_FIELDS = new Set(['requestParameters', 'additionalEventData']);

function setPath(record: Json, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = record;
  for (const part of parts.slice(0, -1)) {
    at[part] ??= {};
    at = at[part] as Json;
  }
  at[parts.at(-1)!] = value;
}

/** @param row the row's values in the query's column order, undefined for NULL; @param index its place, to name it */
export function recordFromRow(row: (string | undefined)[], index: number): Json | UnreadableLine {
  const record: Json = {};
  for (const [i, [, path]] of SELECTED_FIELDS.entries()) {
    const value = row[i];
    if (value === undefined) continue;
    if (JSON_FIELDS.has(path)) {
      try {
        setPath(record, path, JSON.parse(value) as unknown);
      } catch {
        return new UnreadableLine(index, `row ${index}: ${path} is not JSON`);
      }
    } else setPath(record, path, value);
  }
  const lists = RESOURCE_FIELDS.map((_, i) => (row[SELECTED_FIELDS.length + i] ?? '').split(' ').filter((v) => v !== ''));
  const [arns = [], types = [], accounts = []] = lists;
  if (arns.length > 0) {
    const field = (value: string | undefined) => (value === undefined || value === '-' ? undefined : value);
    record.resources = arns.map((arn, i) => ({ ARN: field(arn), type: field(types[i]), accountId: field(accounts[i]) }));
  }
  return record;
}
