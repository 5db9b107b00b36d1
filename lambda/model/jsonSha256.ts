/** The sha256 (hex) of a value's JSON: the one way ids, keys and document hashes here are derived. */
import { createHash } from 'node:crypto';

/** @example jsonSha256(['a', 1]).slice(0, 32) */
export function jsonSha256(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
