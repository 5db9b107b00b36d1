/** Bad input to the CLI: printed as one line on stderr, exit code 2. */
export class CliInputError extends Error {
  override name = 'CliInputError';
}

/** The machine cannot do what was asked (no AWS credentials, AWS not reachable): one line on stderr, exit code 1. */
export class CliEnvironmentError extends Error {
  override name = 'CliEnvironmentError';
}
