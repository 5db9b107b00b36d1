/** Where a command writes: stdout for results, stderr for everything said about them. */
export interface Output {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  color: boolean;
}
