/** A snapshot that is not one, or not this request's: refused before the engine trusts it. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}
