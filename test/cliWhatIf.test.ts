import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OWN_SCENARIOS } from './helpers/paths';
import { runCli } from './helpers/runCli';

const dir = mkdtempSync(join(tmpdir(), 'why-denied-patch-'));
// A partner's upload to a bucket whose policy grants nothing (the public statement of that scenario removed):
// the fix is a bucket-policy grant, which is what a what-if checks.
const scenario = join(OWN_SCENARIOS, 'public-bucket-policy-restricted');
const silentBucket = JSON.parse(readFileSync(join(scenario, 'snapshot.json'), 'utf8')) as { bucket: { policy: unknown } };
silentBucket.bucket.policy = null;
const snapshotPath = join(dir, 'silent-bucket.json');
writeFileSync(snapshotPath, JSON.stringify(silentBucket));
const args = ['explain', '--event', join(scenario, 'event.json'), '--snapshot', snapshotPath];
const patchFile = (name: string, patch: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(patch));
  return path;
};

describe('why-denied explain --patch', () => {
  it('shows that the engine’s own fix lets the request through and nothing broader', () => {
    const fix = JSON.parse(runCli(args).stdout).fixes[0].policyPatch;
    const result = runCli([...args, '--patch', patchFile('fix.json', fix), '--format', 'text']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').pop()).toBe(
      'With the patch, every visible layer lets this request through. The patch grants nothing broader than this request.',
    );
  });

  it('prints before, after, resolved and broader as JSON', () => {
    const wide = {
      layer: 'bucket-policy',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::345678901234:root' }, Action: 's3:*', Resource: '*' }],
    };
    const result = JSON.parse(runCli([...args, '--patch', patchFile('wide.json', wide)]).stdout);
    expect(result).toMatchObject({ before: { verdict: 'implicit-deny' }, after: { verdict: 'not-reproduced' }, resolved: true });
    expect(result.broader).toContain('an object in another bucket');
  });

  it('exits 2 with one line naming the file for a patch that is not one', () => {
    const result = runCli([...args, '--patch', patchFile('bad.json', { layer: 'nope' })]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(/bad\.json: not a patch/);
  });
});
