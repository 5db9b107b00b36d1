import { oneLine } from './inertText';

/** A snapshot that is not one, or not this request's: refused before the engine trusts it, in one inert line. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(oneLine(message), options);
  }
}
