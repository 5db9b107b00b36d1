/** A patch that cannot be applied to this snapshot: the layer or policy it names is not there. */
export class PatchError extends Error {
  override name = 'PatchError';
}
