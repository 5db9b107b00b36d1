/**
 * The EC2 client module, loaded on first use. In the Lambda bundle it is the runtime's own SDK, not bundled
 * (lib/serviceFunction.ts): `require`, not `import()`, because the runtime reaches its SDK through
 * NODE_PATH, which ES module resolution ignores ("Cannot find package '@aws-sdk/client-ec2'", as the
 * deployed-bundle test showed). Lambda's NODE_PATH includes /var/runtime/node_modules:
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 * https://github.com/aws/aws-sdk-js-v3/issues/3230
 */
import type * as Ec2 from '@aws-sdk/client-ec2';

export function runtimeEc2(): typeof Ec2 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: resolved through NODE_PATH
  return require('@aws-sdk/client-ec2') as typeof Ec2;
}
