/** A layer that cannot be evaluated becomes `not-visible` with this reason, never a crash of the diagnosis. */
export class LayerError extends Error {
  override name = 'LayerError';
}

/** A policy document that is not an IAM policy (no Statement, wrong types). */
export class PolicyUnreadableError extends LayerError {
  override name = 'PolicyUnreadableError';
}
