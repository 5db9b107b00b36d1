/** Bad input to the CLI: printed as one line on stderr, exit code 2. */
export class CliInputError extends Error {
  override name = 'CliInputError';
}
