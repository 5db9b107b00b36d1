/**
 * why-denied as a library: parse a denied CloudTrail record, diagnose it against an account snapshot.
 *
 * @example
 * import { diagnose, parseEvent, parseSnapshot } from 'why-denied';
 * const [request] = parseEvent(eventJson).requests;
 * const diagnosis = diagnose(request, parseSnapshot(snapshotJson));
 */
export { diagnose } from './engine/diagnose';
export { diagnoseUpload } from './engine/diagnoseUpload';
export { joinUploads, type UploadDenial } from './events/joinUploads';
export type * from './model/diagnosis';
export { EventError, MalformedEventError, OutOfScopeEventError } from './events/errors';
export { type ParsedEvent, parseEvent, type SkippedRecord } from './events/parseEvent';
export { readEventDocument } from './events/readEventDocument';
export { parseSnapshot } from './model/parseSnapshot';
export { SnapshotError } from './model/snapshotError';
export { evaluatePolicy } from './policy/evaluatePolicy';
export type * from './policy/types';
export type * from './model/request';
export type * from './model/snapshot';
