/**
 * A CDK app for a test that reads the synthesized template: it skips esbuild bundling, which the template
 * does not depend on (each function gets a stand-in asset). One synthesis per construct still bundles for
 * real (`bundledApp`), so a handler that no longer builds fails the suite.
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib-readme.html#bundling (aws:cdk:bundling-stacks)
 */
import { App } from 'aws-cdk-lib';

export function templateApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
}

export function bundledApp(context: Record<string, unknown> = {}): App {
  return new App({ context });
}

/**
 * Runs a synthesis that bundles without CDK's "Bundling asset …" notes among the test results; everything
 * else written to stderr still shows.
 */
export function quietly<T>(build: () => T): T {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    /^Bundling asset /.test(String(chunk)) ? true : write(chunk, ...rest)) as typeof process.stderr.write;
  try {
    return build();
  } finally {
    process.stderr.write = write;
  }
}
