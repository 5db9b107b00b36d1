/**
 * The hash a plan pins the replaced document with. Policies come back from AWS reformatted (whitespace,
 * key order, URL-encoded for IAM), so the hash is of canonical JSON: keys sorted, no whitespace. The same
 * document as collected and as re-read then hashes alike, and any change to its content does not.
 */
import { jsonSha256 } from '../model/jsonSha256';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = canonical((value as Record<string, unknown>)[key]);
  return sorted;
}

/** @example documentSha256(null) // null: there was no document */
export function documentSha256(document: unknown): string | null {
  if (document === null || document === undefined) return null;
  return jsonSha256(canonical(document));
}
