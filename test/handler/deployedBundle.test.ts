/**
 * The deployed path, black-box: the bundle `cdk synth` builds, run in a fresh Node process as a container,
 * every AWS call answered over HTTP by the stand-in (DynamoDB by dynalite), Slack a local endpoint. What the
 * library tests show in-process must hold for what is shipped: its EC2 client comes from the runtime's SDK,
 * its SDK clients speak the wire protocols, and the alert reaches chat.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeBundle, type DeployedBundle } from '../../bench/deployedBundle';
import { type StandIn, startStandIn } from '../../bench/standIn/awsStandIn';
import { containerEnvironment, runContainer, sqsBatchOf } from '../../bench/standIn/deployedContainer';
import { parseEvent, parseSnapshot, readEventDocument } from '../../lambda';
import { answerFrom, resetAws } from '../collect/fakeAccount';
import { quietly } from '../helpers/cdkApp';
import { type LocalDynamo, startLocalDynamo } from '../helpers/localDynamo';
import { loadScenarios } from '../helpers/scenarios';
import { hasSharedScenarios, OWN_SCENARIOS, PROJECT_ROOT, SHARED_SCENARIOS } from '../helpers/paths';

const SCRIPTS = join(PROJECT_ROOT, 'dist/bench/standIn');
const TABLE = 'deployed';

let bundle: DeployedBundle;
let dynamo: LocalDynamo;
let standIn: StandIn;
beforeAll(async () => {
  if (!existsSync(join(SCRIPTS, 'runBundle.js'))) throw new Error('dist/ is missing: run npm run build first (npm test does)');
  bundle = quietly(() => synthesizeBundle());
  dynamo = await startLocalDynamo(TABLE);
  standIn = await startStandIn({ delayMs: 0, dynamoPort: Number(new URL(dynamo.endpoint).port) });
}, 120_000);
afterAll(async () => {
  await standIn?.stop();
  await dynamo?.stop();
  bundle?.remove();
});

async function runScenario(name: string, root = OWN_SCENARIOS) {
  const dir = join(root, name);
  const file = JSON.parse(readFileSync(join(dir, 'event.json'), 'utf8')) as Record<string, unknown>;
  // A scenario may hold the record as EventBridge delivered it; the queue gets the envelope the rule makes.
  const record = (file['detail-type'] ? file.detail : file) as Record<string, unknown>;
  const request = parseEvent(readEventDocument(readFileSync(join(dir, 'event.json')))).requests[0]!;
  const account = parseSnapshot(JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8')));
  resetAws();
  answerFrom(account, request);
  await dynamo.clear();
  // Deployed in the caller's account; a bucket in another is read through the read-only role there.
  const env = containerEnvironment({
    standIn,
    accountId: request.caller.accountId,
    table: TABLE,
    root: PROJECT_ROOT,
    ...(account.bucket.accountId !== request.caller.accountId ? { crossAccountRoleName: 'WhyDeniedReadOnly' } : {}),
  });
  const [run] = await runContainer({ bundle: bundle.path, scripts: SCRIPTS, standIn, env, batches: [sqsBatchOf(record, name)] });
  return { run: run!, operations: run!.calls.map((c) => `${c.service}:${c.operation}`) };
}

describe('the deployed bundle, against a stand-in AWS', () => {
  it('diagnoses a bucket policy denial and alerts in chat', async () => {
    const { run, operations } = await runScenario('bucket-policy-denies-plain-http');
    expect(run.slack).toHaveLength(1);
    expect(run.slack[0]?.body).toContain('TLSOnly');
    expect(operations).toEqual(expect.arrayContaining(['iam:GetRole', 's3:GetBucketPolicy', 'sns:Publish', 'dynamodb:BatchGetItem']));
  }, 60_000);

  it('reads a VPC endpoint through the runtime’s EC2 client, for a refusal logged without its bucket', async () => {
    const { run, operations } = await runScenario('vpc-endpoint-refused-upload');
    expect(operations).toContain('ec2:DescribeVpcEndpoints');
    expect(operations).not.toContain('s3:GetBucketPolicy');
    expect(run.slack[0]?.body).toContain('ArtifactsOnly');
  }, 60_000);
});

/**
 * Every worked scenario the CLI diagnoses, through the shipped bundle and the stand-in's accounts: the
 * project's own, and the shared ones where they are (CI has them).
 */
const SCENARIOS = [...loadScenarios(OWN_SCENARIOS), ...(hasSharedScenarios ? loadScenarios(SHARED_SCENARIOS) : [])]
  .filter((scenario) => !scenario.expected.exitCode)
  .map((scenario) => [scenario.name, scenario] as const);

describe('every worked scenario, through the deployed bundle', () => {
  it.each(SCENARIOS)(
    '%s reaches chat naming what the diagnosis names',
    async (name, { dir, expected }) => {
      const { run } = await runScenario(name, join(dir, '..'));
      expect(run.slack).toHaveLength(1);
      if (expected.statementSid) expect(run.slack[0]?.body).toContain(expected.statementSid);
    },
    60_000,
  );
});
