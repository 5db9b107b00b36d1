/**
 * Whether an edit of an Allow statement only narrows it: the same statement with conditions added, each
 * condition it had kept as it was. A condition can only take requests away from an Allow, so such an edit
 * grants no one anything (it is how a public statement is made non-public).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Statement } from '../policy/types';

/** @example onlyNarrows(publicDrop, { ...publicDrop, Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } } }) // true */
export function onlyNarrows(original: Statement, edited: Statement): boolean {
  if (original.Effect !== 'Allow' || edited.Effect !== 'Allow') return false;
  const { Condition: before = {}, ...rest } = original;
  const { Condition: after = {}, ...editedRest } = edited;
  if (!isDeepStrictEqual(rest, editedRest)) return false;
  return Object.entries(before).every(([operator, block]) =>
    Object.entries(block ?? {}).every(([key, value]) => isDeepStrictEqual(after[operator]?.[key], value)),
  );
}
