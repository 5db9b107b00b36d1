import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ALLOW_PUT, OBJECT_ARN, policy, ROLE_ARN, s3Record, snapshot } from './factories';
import { CLI, hasSharedScenarios, OWN_SCENARIOS, PROJECT_ROOT, SHARED_SCENARIOS } from './helpers/paths';
import { runCli, runCliWithEnv } from './helpers/runCli';
import { diagnoseScenario } from './helpers/scenarioSuite';
import { loadScenarios } from './helpers/scenarios';
import { planSchemaErrors, schemaErrors } from './helpers/schema';

const dir = mkdtempSync(join(tmpdir(), 'why-denied-cli-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
/** An environment where the SDK finds no credentials anywhere. */
const noCredentials = {
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_PROFILE: '',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
};
const denyingSnapshot = file(
  'snapshot.json',
  JSON.stringify(
    snapshot(
      {},
      { policy: policy(ALLOW_PUT, { Sid: 'NoUploads', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*' }) },
    ),
  ),
);

/**
 * The scenario suites run in this process; a few run end to end too, exactly as the contract's command
 * line describes, so the CLI is held to the same answers (and to exit 2, one line, for a refused input).
 */
describe('why-denied explain on worked scenarios, end to end', () => {
  const all = [...loadScenarios(OWN_SCENARIOS), ...(hasSharedScenarios ? loadScenarios(SHARED_SCENARIOS) : [])];
  const picked = [
    ...all.filter((s) => ['bucket-policy-denies-plain-http', 'multipart-upload-lacks-kms-decrypt'].includes(s.name)),
    ...all.filter((s) => s.expected.exitCode),
  ];

  it.each(picked.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    const result = runCli(['explain', '--event', scenario.event, '--snapshot', scenario.snapshot, '--format', 'json']);
    const inProcess = diagnoseScenario(scenario);
    if (scenario.expected.exitCode) {
      expect(result.status).toBe(scenario.expected.exitCode);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(scenario.event);
      return;
    }
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify('diagnoses' in inProcess ? inProcess.diagnoses[0] : inProcess)));
  });
});

describe('why-denied explain', () => {
  it('reads the event from stdin with --event -', () => {
    const result = runCli(['explain', '--event', '-', '--snapshot', denyingSnapshot], JSON.stringify(s3Record()));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: 'explicit-deny', decidingLayers: [{ statement: { sid: 'NoUploads' } }] });
  });

  it('prints a JSON array for a gzipped log file, and counts what it did not diagnose on stderr', async () => {
    const log = file(
      'log.json.gz',
      gzipSync(JSON.stringify({ Records: [s3Record(), s3Record({ eventName: 'GetObject' }), s3Record({ eventID: 'second' })] })),
    );
    const result = runCli(['explain', '--event', log, '--snapshot', denyingSnapshot]);
    expect(result.status).toBe(0);
    const diagnoses = JSON.parse(result.stdout) as unknown[];
    expect(diagnoses).toHaveLength(2);
    for (const diagnosis of diagnoses) expect(await schemaErrors(diagnosis)).toEqual([]);
    expect(result.stderr).toContain('1 record(s) not diagnosed (0 malformed, 1 out of scope)');
  });

  it('prints text for people, verdict first and fix last', () => {
    const result = runCli([
      'explain',
      '--event',
      file('e.json', JSON.stringify(s3Record())),
      '--snapshot',
      denyingSnapshot,
      '--format',
      'text',
    ]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^DENIED \(explicit deny\) {2}s3:PutObject by the bucket policy of contoso-media-uploads/);
    expect(result.stdout).toContain('Fix 0 (bucket-owner, in account 555566667777)');
  });

  it.each([
    ['an unreadable file', ['explain', '--event', join(dir, 'missing.json'), '--snapshot', denyingSnapshot], 'missing.json: no such file'],
    [
      'a folder given as the event',
      ['explain', '--event', dir, '--snapshot', denyingSnapshot],
      'is a folder: give one file (replay reads folders)',
    ],
    [
      'malformed JSON',
      ['explain', '--event', file('bad.json', '{"eventSource":'), '--snapshot', denyingSnapshot],
      'bad.json: not valid JSON',
    ],
    [
      'an out-of-scope event',
      ['explain', '--event', file('get.json', JSON.stringify(s3Record({ eventName: 'GetObject' }))), '--snapshot', denyingSnapshot],
      'get.json: s3.amazonaws.com GetObject is not',
    ],
    [
      'a snapshot that is not one',
      ['explain', '--event', file('ok.json', JSON.stringify(s3Record())), '--snapshot', file('s.json', '{"snapshotVersion": 2}')],
      's.json: not a why-denied snapshot',
    ],
    [
      'an unknown format',
      ['explain', '--event', file('ok2.json', JSON.stringify(s3Record())), '--snapshot', denyingSnapshot, '--format', 'xml'],
      '--format xml: expected one of',
    ],
    ['a missing --event', ['explain'], "required option '--event <file>'"],
    ['an empty file', ['explain', '--event', file('empty.json', ''), '--snapshot', denyingSnapshot], 'empty.json: empty'],
    [
      'an empty snapshot, named as a snapshot (#25)',
      ['explain', '--event', file('ok3.json', JSON.stringify(s3Record())), '--snapshot', file('empty-snapshot.json', '\n')],
      'empty-snapshot.json: empty: expected a why-denied snapshot',
    ],
    ['an unknown demo name', ['demo', 'no-such-example'], 'no example named like "no-such-example"'],
    [
      'a --snapshot-dir that does not exist',
      ['replay', file('log.json', JSON.stringify({ Records: [s3Record()] })), '--snapshot-dir', join(dir, 'nowhere')],
      'nowhere: no such folder',
    ],
  ])('exits 2 with one line on stderr for %s', (_name, args, message) => {
    const result = runCli(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });
});

describe('why-denied explain on real exports', () => {
  const records = join(__dirname, 'fixtures/records');

  it('diagnoses an NDJSON export and names the line it could not read, exit 2', () => {
    const buildBot = {
      arn: 'arn:aws:iam::555566667777:user/build-bot',
      kind: 'user',
      accountId: '555566667777',
      tags: {},
      policies: [],
      permissionsBoundary: null,
    };
    const ofBuildBot = file('build-bot.json', JSON.stringify(snapshot({ principal: buildBot as never })));
    const result = runCli(['explain', '--event', join(records, 'export.jsonl'), '--snapshot', ofBuildBot]);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toHaveLength(1);
    expect(result.stderr).toContain('export.jsonl: record 2 (event without id): line 3 is not valid JSON');
  });

  it('gives one diagnosis for an upload’s PutObject and KMS call, and says which record it joined', () => {
    const result = runCli(['explain', '--event', join(records, 'sse-kms-upload-pair.json'), '--snapshot', denyingSnapshot]);
    expect(result.status).toBe(0);
    const diagnoses = JSON.parse(result.stdout) as { event: { id: string } }[];
    expect(diagnoses.map((d) => d.event.id)).toEqual(['0b7f3c1e-1111-4a2b-9c3d-5e6f7a8b9c0d']);
    expect(result.stderr).toContain(
      '(event 9e8d7c6b-2222-4f3e-8d2c-1b0a9f8e7d6c): kms.amazonaws.com GenerateDataKey of the same upload as event 0b7f3c1e-1111-4a2b-9c3d-5e6f7a8b9c0d: one diagnosis',
    );
  });

  it('prints chat messages before and after a what-if in the format asked for', () => {
    const grant = { Sid: 'Grant', Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 's3:PutObject', Resource: OBJECT_ARN };
    const patch = file('patch.json', JSON.stringify({ layer: 'bucket-policy', Statement: [grant] }));
    const result = runCli([
      'explain',
      '--event',
      file('p.json', JSON.stringify(s3Record())),
      '--snapshot',
      denyingSnapshot,
      '--patch',
      patch,
      '--format',
      'slack',
    ]);
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout) as { before: { blocks: unknown[] }; after: { blocks: unknown[] }; resolved: boolean };
    expect(output.before.blocks.length).toBeGreaterThan(0);
    expect(output.after.blocks.length).toBeGreaterThan(0);
    expect(output.resolved).toBe(false);
  });

  it('says which TopicArn to pass when --format sns has no --sns-topic', () => {
    const result = runCli([
      'explain',
      '--event',
      file('t.json', JSON.stringify(s3Record())),
      '--snapshot',
      denyingSnapshot,
      '--format',
      'sns',
    ]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/--sns-topic arn:aws:sns:REGION:ACCOUNT:NAME/);
  });
});

describe('the first commands a newcomer tries (#25)', () => {
  it.each([['explain'], ['fix', 'plan']])('ends %s --help with an example that runs as pasted, and the exit codes', (...command) => {
    const help = runCli([...command, '--help']).stdout;
    expect(help).toContain('Exit codes: 0 done');
    const example = /\$ why-denied (.+)/.exec(help)![1]!.split(' ');
    const result = spawnSync(process.execPath, [CLI, ...example], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    expect({ status: result.status, stderr: result.stderr.toString() }).toEqual({ status: 0, stderr: '' });
  });

  it('prints its version', () => {
    const result = runCli(['--version']);
    expect({ status: result.status, stdout: result.stdout.trim() }).toEqual({ status: 0, stdout: '0.1.0' });
  });

  it('reads a bare array of records, as jq .Records prints a log file', () => {
    const result = runCli([
      'explain',
      '--event',
      file('records.json', JSON.stringify([s3Record()])),
      '--snapshot',
      denyingSnapshot,
      '--format',
      'json',
    ]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({ verdict: 'explicit-deny' })]);
  });

  it('names the snapshot file, with the why-denied prefix, when the snapshot is of another bucket', () => {
    const other = file(
      'other-bucket.json',
      JSON.stringify(snapshot({}, { name: 'some-other-bucket', arn: 'arn:aws:s3:::some-other-bucket' })),
    );
    const result = runCli(['explain', '--event', file('one.json', JSON.stringify(s3Record())), '--snapshot', other, '--format', 'json']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^why-denied: .*other-bucket\.json: not this request's snapshot: the snapshot describes bucket some-other-bucket, but the request was to contoso-media-uploads \(event .* in .*one\.json\)$/,
      ),
    ]);
  });

  it('answers a log file with no denial in it with an empty list, exit 0', () => {
    const quiet = file('no-denials.json', JSON.stringify({ Records: [s3Record({ eventName: 'GetObject', errorCode: undefined })] }));
    const result = runCli(['explain', '--event', quiet, '--snapshot', denyingSnapshot, '--format', 'json']);
    expect({ status: result.status, stdout: result.stdout.trim() }).toEqual({ status: 0, stdout: '[]' });
  });
});

describe('why-denied demo', () => {
  it('diagnoses the bundled examples offline', () => {
    const result = runCli(['demo']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\d+ example denials diagnosed offline/);
    expect(result.stderr).toBe('');
  });

  it('ends with a command naming a shipped example that runs as pasted, no <placeholder> (#25)', () => {
    const hint = runCli(['demo', 'allowlist']).stdout.trim().split('\n').at(-1)!;
    expect(hint).not.toMatch(/<\w/);
    const args = hint.replace(/^\s*npx why-denied /, '').split(' ');
    const result = spawnSync(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    expect({ status: result.status, stderr: result.stderr.toString() }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout.toString()).toMatch(/^DENIED \(explicit deny\)/);
  });

  it('lists the examples with their stories, and diagnoses none (#25)', () => {
    const result = runCli(['demo', '--list']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^bucket-policy-allowlist-omits-role +An allowlist in the bucket policy that does not name the role$/m);
    expect(result.stdout).not.toContain('DENIED');
  });

  it('explains in JSON when its output is piped, as the contract prints (#25)', () => {
    const scenario = join(OWN_SCENARIOS, 'bucket-policy-allowlist-omits-role');
    const result = runCli(['explain', '--event', join(scenario, 'event.json'), '--snapshot', join(scenario, 'snapshot.json')]);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: 'explicit-deny' });
  });
});

describe('why-denied collect', () => {
  it('fails with one clear line when no AWS credentials can be found', () => {
    const result = runCliWithEnv(['collect', '--event', file('c.json', JSON.stringify(s3Record()))], noCredentials);
    expect(result.status).toBe(1);
    // One line, no SDK warning around it, and it says how to pass credentials; collect has no --snapshot (#25).
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^why-denied: no AWS credentials: .*--profile NAME/)]);
    expect(result.stderr).not.toContain('--snapshot');
  });

  it('says an unknown --profile is not in the config, not to pass --profile (#25)', () => {
    const config = file('aws-config', '[profile real]\nregion = eu-west-1\n');
    const result = runCliWithEnv(['collect', '--event', file('c2.json', JSON.stringify(s3Record())), '--profile', 'nosuch'], {
      ...noCredentials,
      AWS_CONFIG_FILE: config,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^why-denied: AWS profile nosuch is not in ~\/\.aws\/config/)]);
  });

  it('refuses a role ARN for --role-name, which takes a name (#25)', () => {
    const result = runCliWithEnv(
      ['collect', '--event', file('c4.json', JSON.stringify(s3Record())), '--role-name', 'arn:aws:iam::111122223333:role/ReadOnly'],
      noCredentials,
    );
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(/^why-denied: --role-name arn:aws:iam::111122223333:role\/ReadOnly: give the role's name/);
  });

  it('offers --snapshot where the command takes it', () => {
    const result = runCliWithEnv(['explain', '--event', file('c3.json', JSON.stringify(s3Record()))], noCredentials);
    expect(result.stderr).toMatch(/give --snapshot FILE to diagnose offline/);
  });
});

describe('why-denied fix plan', () => {
  const scenario = join(OWN_SCENARIOS, 'copy-object-source-not-readable');
  const args = ['fix', 'plan', '--event', join(scenario, 'event.json'), '--snapshot', join(scenario, 'snapshot.json')];

  it('prints a plan within the contract, and the same plan twice', async () => {
    const first = runCli(args);
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    const plan = JSON.parse(first.stdout) as { id: string; applicable: boolean; createdAt: string };
    expect(await planSchemaErrors(plan)).toEqual([]);
    expect(plan.applicable).toBe(true);
    expect((JSON.parse(runCli(args).stdout) as { id: string }).id).toBe(plan.id);
  });

  it('refuses a --fix that is not a number, exit 2 with one line', () => {
    const result = runCli([...args, '--fix', 'first']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['why-denied: --fix first: expected the number of a fix (0 for the first)']);
  });

  it('refuses a --fix past the diagnosis’s fixes, naming how many there are, exit 2 (#25)', () => {
    const result = runCli([...args, '--fix', '99']);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
    expect(result.stderr.trim().split('\n')).toEqual(['why-denied: --fix 99: the diagnosis has 1 fix(es), 0 to 0']);
  });

  it('refuses a log file of several denials with their count, and names its malformed records (#25)', () => {
    const record = JSON.parse(readFileSync(join(scenario, 'event.json'), 'utf8')) as Record<string, unknown>;
    const logFile = file(
      'two-denials.json',
      JSON.stringify({
        Records: [record, { ...record, eventID: 'another-denial-0001', requestID: 'OTHER' }, { eventSource: 's3.amazonaws.com' }],
      }),
    );
    const result = runCli(['fix', 'plan', '--event', logFile, '--snapshot', join(scenario, 'snapshot.json')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('1 malformed');
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/holds 2 denials, and a plan is for one/);
  });
});

describe('why-denied fix apply and rollback', () => {
  it.each([
    ['not JSON', '{', /: not a plan \(/],
    ['not a plan', JSON.stringify({ planVersion: 2 }), /: not a why-denied plan/],
    [
      'a step it never applies',
      JSON.stringify({ planVersion: 1, id: 'x', steps: [{ action: 'UpdatePolicy' }] }),
      /step UpdatePolicy is not a change this service applies/,
    ],
  ])('refuses a plan file that is %s, exit 2, one line, before reading AWS', (_what, content, message) => {
    for (const command of ['apply', 'rollback']) {
      const result = runCli(['fix', command, '--plan', file(`plan-${command}.json`, content), '--yes']);
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    }
  });

  it('says which credentials it looked for when there are none, exit 1, and writes nothing', () => {
    const scenario = join(OWN_SCENARIOS, 'copy-object-source-not-readable');
    const plan = runCli(['fix', 'plan', '--event', join(scenario, 'event.json'), '--snapshot', join(scenario, 'snapshot.json')]).stdout;
    const result = runCliWithEnv(['fix', 'apply', '--plan', file('plan.json', plan), '--yes', '--region', 'eu-west-1'], noCredentials);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^why-denied: no AWS credentials: /)]);
  });
});
