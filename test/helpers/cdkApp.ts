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
