/**
 * A function of the service, bundled the one way every function is: the pinned SDK inside the bundle (the
 * release the tests ran against), its ES module builds first so esbuild drops what is unused
 * (3.5 → 2.5 MB, cold init 340 → 230 ms for the diagnoser), Node.js 22 on arm64, traced; source maps on request.
 * The EC2 client alone is left to the runtime's SDK: it was 1.2 MB of the 2.1 MB bundle, only a request
 * through a VPC endpoint needs it (one DescribeVpcEndpoints), and the Node.js runtimes ship every v3 client
 * https://aws.amazon.com/blogs/developer/why-and-how-you-should-use-aws-sdk-for-javascript-v3-on-node-js-18/
 */
import type { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** Loaded with `import()` by the one collector that needs it; the runtime resolves it, not the bundle. */
export const RUNTIME_PROVIDED_EC2_CLIENT = '@aws-sdk/client-ec2';

export interface ServiceFunctionProps {
  /** The entry file, relative to the project root. */
  readonly entry: string;
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  /** Concurrency kept for this function alone, and never exceeded. */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * Source maps cost every cold start 40–50 ms (Node reads the whole map at load), so they are on only when
 * the app asks (`-c sourceMaps=true`, to debug a stack trace); without them a trace names the bundle's lines.
 */
function sourceMapsWanted(scope: Construct): boolean {
  const value: unknown = scope.node.tryGetContext('sourceMaps');
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

export function serviceFunction(scope: Construct, id: string, props: ServiceFunctionProps): NodejsFunction {
  const sourceMaps = sourceMapsWanted(scope);
  return new NodejsFunction(scope, id, {
    entry: projectPath(props.entry),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    role: props.role,
    logGroup: props.logGroup,
    tracing: lambda.Tracing.ACTIVE,
    ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
    bundling: {
      minify: true,
      sourceMap: sourceMaps,
      target: 'node22',
      format: OutputFormat.CJS,
      externalModules: [RUNTIME_PROVIDED_EC2_CLIENT],
      mainFields: ['module', 'main'],
      // esbuild's size report is no news at every synth (the bench measures the bundle); errors still show.
      logLevel: LogLevel.ERROR,
    },
    environment: { ...(sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}), ...props.environment },
  });
}

function projectPath(relative: string): string {
  // Compiled to dist/lib, run from source by ts-jest: both resolve against the project root.
  const root = __dirname.includes(`${'/dist/'}`) ? `${__dirname}/../..` : `${__dirname}/..`;
  return `${root}/${relative}`;
}
