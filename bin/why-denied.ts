#!/usr/bin/env node
/** The why-denied command line. Exit codes: 0 a diagnosis was made, 2 bad input, 1 anything else. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { collect } from './commands/collect';
import { demo, listDemos } from './commands/demo';
import { explain } from './commands/explain';
import { fixPlan } from './commands/fix';
import { fixApply, fixRollback } from './commands/fixApply';
import { replay } from './commands/replay';
import { CliEnvironmentError, CliInputError } from './errors';
import { DeliveryError } from '../lambda/notify/errors';

// The SDK's multi-line notice about Node.js versions would bury the one line a person needs at 2 a.m.;
// the README names the supported versions.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The version in package.json, which ships beside dist/ in the package. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
}

// A reader that stops early (`| head`) closes the pipe: that ends the output, it is no error to report.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const output = { out: process.stdout, err: process.stderr, color: process.stdout.isTTY === true && !process.env.NO_COLOR };

const program = new Command()
  .name('why-denied')
  .version(packageVersion(), '-V, --version', 'print the version')
  .description('Explains a denied S3 upload: the layer, policy, statement and condition that denied it, and the fix.')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

/** Where the account comes from for a command that diagnoses: a snapshot file, or AWS read now. */
function withAccountSource(command: Command): Command {
  return command
    .option('--snapshot <file>', 'the account snapshot; without it the account is read now (read-only)')
    .option('--profile <name>', 'AWS profile to read the account with (no --snapshot)')
    .option('--region <region>', 'AWS region (default: the event’s)')
    .option(
      '--role-name <name>',
      'the NAME (not the ARN) of a read-only role to assume in other accounts: arn:aws:iam::<account>:role/<name>',
    );
}

withAccountSource(
  program
    .command('explain')
    .description('diagnose a denied CloudTrail record, EventBridge envelope or log file against an account snapshot')
    .requiredOption('--event <file>', 'the event: a file, or - for stdin (gzip is detected)'),
)
  .option(
    '--format <format>',
    'json | text | slack (Block Kit payload) | sns (PublishCommand input) (default: text on a terminal, json when piped)',
  )
  .option('--sns-topic <arn>', 'the TopicArn to put in --format sns output')
  .option('--patch <file>', 'what-if: apply this policy patch (or request change) and show the diagnosis before and after')
  .option('--slack-webhook <url>', 'also post the Slack message to this incoming webhook (default: $WHY_DENIED_SLACK_WEBHOOK)')
  .action(async (options) => {
    // People at a terminal read text; a pipe or a file gets the contract's JSON.
    const format: string = options.format ?? (process.stdout.isTTY ? 'text' : 'json');
    process.exitCode = await explain(
      { ...options, format, slackWebhook: options.slackWebhook ?? process.env.WHY_DENIED_SLACK_WEBHOOK },
      output,
    );
  });

program
  .command('collect')
  .description('read the account (read-only) and print the snapshot the engine needs for this event')
  .requiredOption('--event <file>', 'the event: a file, or - for stdin')
  .option('--profile <name>', 'AWS profile (default: the standard credential chain)')
  .option('--region <region>', 'AWS region (default: the event’s)')
  .option(
    '--role-name <name>',
    'the NAME (not the ARN) of a read-only role to assume in other accounts: arn:aws:iam::<account>:role/<name>',
  )
  .action((options) => collect(options, output));

program
  .command('replay')
  .description('diagnose every failed upload in CloudTrail log files or folders (.json, .json.gz), or in an Athena table, and group them')
  .argument('[paths...]', 'log files or folders, walked recursively (not with --athena)')
  .option('--snapshot-dir <dir>', 'snapshots: <eventId>.json, else <bucket>.json')
  .option('--collect', 'read each snapshot from AWS instead (read-only; cached across the replay)')
  .option('--profile <name>', 'AWS profile for --collect')
  .option('--region <region>', 'AWS region for --collect (default: each event’s)')
  .option('--role-name <name>', 'the NAME (not the ARN) of a read-only role to assume in other accounts, for --collect')
  .option('--since <time>', 'skip records before this time (ISO 8601); with --athena, 24 hours before --until by default')
  .option('--athena', "query the trail's Athena table instead of reading files (one query; cost printed)")
  .option('--database <name>', 'with --athena: the Glue database of the CloudTrail table')
  .option('--table <name>', 'with --athena: the CloudTrail table (partitioned by account, region and day)')
  .option('--workgroup <name>', 'with --athena: the Athena workgroup', 'primary')
  .option('--output-location <s3-url>', 'with --athena: where Athena writes results, if the workgroup does not say')
  .option('--until <time>', 'with --athena: records before this time (ISO 8601; default now)')
  .option('--accounts <ids>', "with --athena: only these accounts' partitions, comma-separated")
  .option('--format <format>', 'table | json | csv', 'table')
  .action(async (paths: string[], options) => {
    process.exitCode = await replay(paths, options, output);
  });

const fix = program.command('fix').description('turn one fix of a diagnosis into exact AWS calls you approve, apply and roll back');

withAccountSource(
  fix
    .command('plan')
    .description('print the exact AWS calls that carry out one fix, proved by what-if (reads only)')
    .requiredOption('--event <file>', 'the event: a file, or - for stdin'),
)
  .option('--fix <n>', 'which of the diagnosis’s fixes to plan (default: the first, 0)')
  .option('--format <format>', 'json | text', 'json')
  .action(async (options) => {
    process.exitCode = await fixPlan(options, output);
  });

for (const [name, description, run] of [
  ['apply', 'carry out an approved plan: re-read, refuse on drift, guard, confirm, write, verify (changes the account)', fixApply],
  ['rollback', 'put back what a plan replaced, only if the live document is still the one it applied', fixRollback],
] as const) {
  fix
    .command(name)
    .description(description)
    .requiredOption('--plan <file>', 'the plan from fix plan')
    .option('--yes', 'do not ask for confirmation')
    .option('--profile <name>', 'AWS profile to write with')
    .option('--region <region>', 'AWS region (default: the plan’s)')
    .option('--audit-file <file>', 'JSON-lines audit trail to append to', 'why-denied-audit.jsonl')
    .action(async (options) => {
      process.exitCode = await run(options, output);
    });
}

program
  .command('demo')
  .description('diagnose the bundled example denials offline and print them for people')
  .argument('[name]', 'only examples whose name contains this')
  .option('--list', 'list the examples, each with its story in one line, and diagnose none')
  .action((name: string | undefined, options: { list?: boolean }) => (options.list ? listDemos(output, name) : demo(output, name)));

function exitCodeOf(error: unknown): number {
  if (error instanceof CliInputError) {
    process.stderr.write(`why-denied: ${error.message}\n`);
    return 2;
  }
  if (error instanceof DeliveryError || error instanceof CliEnvironmentError) {
    process.stderr.write(`why-denied: ${error.message}\n`);
    return 1;
  }
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? 0 : 2;
  }
  process.stderr.write(`why-denied: internal error: ${(error as Error)?.message ?? String(error)}\n`);
  if (process.env.WHY_DENIED_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  return 1;
}

// Each command's help ends with an example that runs as pasted on the shipped examples, and the exit codes.
const EXAMPLE = 'test/fixtures/scenarios/bucket-policy-allowlist-omits-role';
const EXIT_CODES = '\nExit codes: 0 done (whatever the verdict), 2 bad input (one line naming the file), 1 anything else.';
const examples: Record<string, string> = {
  explain: `why-denied explain --event ${EXAMPLE}/event.json --snapshot ${EXAMPLE}/snapshot.json --format text`,
  collect: 'why-denied collect --event denied-upload.json --profile security-audit > snapshot.json',
  replay:
    'why-denied replay ./AWSLogs --snapshot-dir ./snapshots --since 2026-11-01T00:00:00Z\n  $ why-denied replay --athena --database security --table org_trail --collect --since 2026-11-01T00:00:00Z',
  demo: 'why-denied demo --list',
};
for (const command of program.commands) {
  const example = examples[command.name()];
  command.addHelpText('after', `${example ? `\nExample:\n  $ ${example}\n` : ''}${EXIT_CODES}`);
}
for (const command of fix.commands) {
  const example =
    command.name() === 'plan'
      ? `why-denied fix plan --event ${EXAMPLE}/event.json --snapshot ${EXAMPLE}/snapshot.json --format text`
      : `why-denied fix ${command.name()} --plan plan.json --profile bucket-admin`;
  command.addHelpText('after', `\nExample:\n  $ ${example}\n${EXIT_CODES}`);
}

program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = exitCodeOf(error);
});
