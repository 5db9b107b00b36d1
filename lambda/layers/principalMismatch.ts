/**
 * The snapshot must describe the caller the event names. Evaluating someone else's policies would give a
 * confident wrong answer, so a mismatch makes the principal's layers not visible.
 */
import type { LayerInput } from './types';

export function principalMismatch(input: LayerInput): string | null {
  const expected = input.request.caller.arn;
  const described = input.snapshot.principal.arn;
  if (expected && described && expected !== described) {
    return `the snapshot describes ${described}, but the caller was ${expected}`;
  }
  return null;
}
