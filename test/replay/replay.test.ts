import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateTrail } from '../../bench/generateTrail';
import { replayLogs } from '../../lambda/replay/replayLogs';
import { SnapshotDirectory } from '../../lambda/replay/SnapshotDirectory';
import { OWN_SCENARIOS } from '../helpers/paths';
import { runCli } from '../helpers/runCli';
import { snapshot } from '../factories';

const scenario = join(OWN_SCENARIOS, 'bucket-policy-denies-plain-http');

function trail(shape = { files: 4, recordsPerFile: 250, deniedPerFile: 3 }) {
  const root = mkdtempSync(join(tmpdir(), 'why-denied-trail-'));
  const snapshots = join(root, 'snapshots');
  mkdirSync(snapshots);
  copyFileSync(join(scenario, 'snapshot.json'), join(snapshots, 'northwind-invoices-prod.json'));
  const records = generateTrail(join(root, 'logs'), join(scenario, 'event.json'), shape);
  return { root, logs: join(root, 'logs'), snapshots, records };
}

describe('replayLogs', () => {
  it('walks nested folders of gzipped files, diagnoses each failed upload and groups them by fingerprint', async () => {
    const { logs, snapshots, records } = trail();
    const summary = await replayLogs([logs], { snapshots: new SnapshotDirectory(snapshots) });
    expect({ files: summary.files, records: summary.records, candidates: summary.candidates, diagnosed: summary.diagnosed }).toEqual({
      files: 4,
      records,
      candidates: 12,
      diagnosed: 12,
    });
    expect(summary.denialGroups()).toEqual([
      expect.objectContaining({
        count: 12,
        principal: 'arn:aws:iam::210987654321:role/InvoiceExporter',
        bucket: 'northwind-invoices-prod',
        layer: 'bucket-policy',
        statement: 'TLSOnly',
        firstSeen: '2026-11-20T00:00:00Z',
        lastSeen: '2026-11-20T18:00:02Z',
      }),
    ]);
  });

  it('skips records before --since, and counts them (#25)', async () => {
    const { logs, snapshots } = trail();
    const summary = await replayLogs([logs], { snapshots: new SnapshotDirectory(snapshots), since: '2026-11-20T12:00:00Z' });
    expect({ diagnosed: summary.diagnosed, beforeSince: summary.beforeSince }).toEqual({ diagnosed: 6, beforeSince: 6 });
  });

  it('counts denials it has no snapshot for instead of guessing, and names their events (#25)', async () => {
    const { logs } = trail();
    const summary = await replayLogs([logs], { snapshots: new SnapshotDirectory(mkdtempSync(join(tmpdir(), 'empty-'))) });
    expect({ diagnosed: summary.diagnosed, withoutSnapshot: summary.withoutSnapshot }).toEqual({ diagnosed: 0, withoutSnapshot: 12 });
    expect(new Set(summary.withoutSnapshotEventIds).size).toBe(12);
  });

  it('names the first events of each group, so one can be found and explained (#25)', async () => {
    const { logs, snapshots } = trail();
    const [group] = (await replayLogs([logs], { snapshots: new SnapshotDirectory(snapshots) })).denialGroups();
    expect(group?.eventIds).toHaveLength(5);
    expect(group?.action).toBe('s3:PutObject');
  });

  it('passes over CloudTrail digest files, by folder and by shape, and counts them apart (#25)', async () => {
    const { logs, snapshots } = trail({ files: 2, recordsPerFile: 50, deniedPerFile: 1 });
    const digest = {
      awsAccountId: '210987654321',
      digestStartTime: '2026-11-20T00:00:00Z',
      digestEndTime: '2026-11-20T01:00:00Z',
      digestS3Bucket: 'trail-bucket',
      digestSignatureAlgorithm: 'SHA256withRSA',
      logFiles: [],
    };
    const digestFolder = join(logs, 'AWSLogs', '210987654321', 'CloudTrail-Digest', 'eu-west-1', '2026', '11', '20');
    mkdirSync(digestFolder, { recursive: true });
    writeFileSync(
      join(digestFolder, '210987654321_CloudTrail-Digest_eu-west-1_trail_eu-west-1_20261120T010000Z.json.gz'),
      gzipSync(JSON.stringify(digest)),
    );
    writeFileSync(join(logs, 'copied-digest.json'), JSON.stringify(digest));
    const summary = await replayLogs([logs], { snapshots: new SnapshotDirectory(snapshots) });
    expect({ files: summary.files, digestFiles: summary.digestFiles, badFiles: summary.badFiles, diagnosed: summary.diagnosed }).toEqual({
      files: 2,
      digestFiles: 2,
      badFiles: [],
      diagnosed: 2,
    });
  });

  it('reports bad files and malformed records, and replays the rest', async () => {
    const { logs, snapshots } = trail({ files: 2, recordsPerFile: 50, deniedPerFile: 1 });
    writeFileSync(join(logs, 'truncated.json.gz'), gzipSync(JSON.stringify({ Records: [] })).subarray(0, 15));
    writeFileSync(join(logs, 'bad.json'), '{"Records": [');
    writeFileSync(
      join(logs, 'partial.json'),
      JSON.stringify({ Records: [{ eventSource: 's3.amazonaws.com', eventName: 'PutObject', errorCode: 'AccessDenied' }] }),
    );
    const summary = await replayLogs([logs], { snapshots: new SnapshotDirectory(snapshots) });
    expect(summary.badFiles.map((b) => b.file.split('/').pop())).toEqual(['bad.json', 'truncated.json.gz']);
    expect(summary.malformedRecords).toBe(1);
    expect(summary.recordErrors).toEqual([
      { file: join(logs, 'partial.json'), index: 0, eventId: null, reason: expect.stringMatching(/^not a CloudTrail record/) },
    ]);
    expect(summary.diagnosed).toBe(2);
  });

  it('replays NDJSON exports, gzipped or not, and agrees with explain on records without eventID or eventTime', async () => {
    const logs = mkdtempSync(join(tmpdir(), 'why-denied-ndjson-'));
    const records = join(__dirname, '../fixtures/records');
    for (const name of ['export.jsonl', 'export.jsonl.gz', 'export-without-ids.json']) {
      writeFileSync(join(logs, name), readFileSync(join(records, name)));
    }
    const buildBot = {
      arn: 'arn:aws:iam::555566667777:user/build-bot',
      kind: 'user' as const,
      accountId: '555566667777',
      tags: {},
      policies: [],
      permissionsBoundary: null,
    };
    const everything = { snapshotFor: () => snapshot({ principal: buildBot }) };
    const summary = await replayLogs([logs], { snapshots: everything });
    expect(summary.badFiles).toEqual([]);
    expect(summary.diagnosed).toBe(3);
    expect(summary.recordErrors.map((r) => [r.file.split('/').pop(), r.index])).toEqual([
      ['export.jsonl', 2],
      ['export.jsonl.gz', 2],
    ]);
  });
});

describe('replayLogs on the records of one upload', () => {
  it('counts the PutObject and the KMS call S3 made for it as one denial', async () => {
    const logs = mkdtempSync(join(tmpdir(), 'why-denied-pair-'));
    writeFileSync(join(logs, 'pair.json'), readFileSync(join(__dirname, '../fixtures/records/sse-kms-upload-pair.json')));
    const summary = await replayLogs([logs], { snapshots: { snapshotFor: () => snapshot() } });
    expect({ candidates: summary.candidates, diagnosed: summary.diagnosed, joined: summary.joined }).toEqual({
      candidates: 2,
      diagnosed: 1,
      joined: 1,
    });
  });

  it('joins them when the trail wrote them to different log files (#25)', async () => {
    const logs = mkdtempSync(join(tmpdir(), 'why-denied-split-'));
    const pair = JSON.parse(readFileSync(join(__dirname, '../fixtures/records/sse-kms-upload-pair.json'), 'utf8')) as {
      Records: unknown[];
    };
    pair.Records.forEach((record, i) => writeFileSync(join(logs, `part-${i}.json`), JSON.stringify({ Records: [record] })));
    const summary = await replayLogs([logs], { snapshots: { snapshotFor: () => snapshot() } });
    expect({ files: summary.files, diagnosed: summary.diagnosed, joined: summary.joined, groups: summary.denialGroups().length }).toEqual({
      files: 2,
      diagnosed: 1,
      joined: 1,
      groups: 1,
    });
  });
});

describe('why-denied replay', () => {
  it('prints a table of groups with the fix, and the counts', () => {
    const { logs, snapshots } = trail();
    const result = runCli(['replay', logs, '--snapshot-dir', snapshots]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\s+count\s+first seen/);
    expect(result.stdout).toContain('Send the upload over HTTPS');
    expect(result.stdout).toContain('4 file(s), 1000 record(s), 12 failed write(s) or KMS call(s) in scope');
  });

  it('exits 2 when some input was bad, still printing what it could replay', () => {
    const { logs, snapshots } = trail({ files: 1, recordsPerFile: 20, deniedPerFile: 1 });
    writeFileSync(join(logs, 'bad.json'), 'not json');
    const result = runCli(['replay', logs, '--snapshot-dir', snapshots, '--format', 'json']);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ diagnosed: 1, badFiles: [{ reason: expect.stringContaining('not valid JSON') }] });
    expect(result.stderr).toContain('bad.json: not valid JSON');
  });

  it('writes CSV whose cells cannot run as spreadsheet formulas', () => {
    const { logs, snapshots } = trail({ files: 1, recordsPerFile: 5, deniedPerFile: 1 });
    const result = runCli(['replay', logs, '--snapshot-dir', snapshots, '--format', 'csv']);
    const [header, row] = result.stdout.trim().split('\n');
    expect(header).toBe('count,firstSeen,lastSeen,principal,bucket,action,layer,statement,fix,eventIds');
    expect(row).toMatch(/^1,2026-11-20T00:00:00Z,/);
  });

  it.each([
    ['a missing path', ['replay', '/nonexistent/logs', '--snapshot-dir', '/tmp'], 'no such file or folder'],
    ['no snapshot source', ['replay', '/tmp'], '--snapshot-dir or --collect is required'],
    ['two snapshot sources', ['replay', '/tmp', '--snapshot-dir', '/tmp', '--collect'], 'choose one source of snapshots'],
    ['a bad --since', ['replay', '/tmp', '--snapshot-dir', '/tmp', '--since', 'yesterday-ish'], 'not a date'],
  ])('exits 2 on %s', (_name, args, message) => {
    const result = runCli(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
