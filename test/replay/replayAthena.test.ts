/**
 * `replay --athena` (#24): the query is pinned, its rows are paged through the same run as file replay, and
 * the summary over a trail's records is the same whichever way they were read. Athena is aws-sdk-client-mock;
 * its rows are what the query selects from each record, as the CloudTrail table holds it.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type Row,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readEventDocument } from '../../lambda';
import { cloudTrailQuery, RESOURCE_FIELDS, SELECTED_FIELDS } from '../../lambda/replay/cloudTrailQuery';
import { isCandidate } from '../../lambda/replay/isCandidate';
import { costOf, replayAthena } from '../../lambda/replay/replayAthena';
import { replayLogs } from '../../lambda/replay/replayLogs';
import { SnapshotDirectory } from '../../lambda/replay/SnapshotDirectory';
import type { ReplaySummary } from '../../lambda/replay/ReplaySummary';
import { OWN_SCENARIOS } from '../helpers/paths';
import { runCli } from '../helpers/runCli';

const athena = mockClient(AthenaClient);
const client = new AthenaClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
beforeEach(() => athena.reset());

const QUERY = {
  database: 'security',
  table: 'org_trail',
  workgroup: 'primary',
  since: '2026-11-01T00:00:00Z',
  until: '2026-12-01T00:00:00Z',
  accounts: ['111122223333', '210987654321'],
};

/** Every worked scenario's records in one trail, each event with its scenario's snapshot. */
function trail() {
  const root = mkdtempSync(join(tmpdir(), 'why-denied-athena-'));
  const records: Record<string, unknown>[] = [];
  for (const name of readdirSync(OWN_SCENARIOS)) {
    const expected = JSON.parse(readFileSync(join(OWN_SCENARIOS, name, 'expected.json'), 'utf8')) as { exitCode?: number };
    if (expected.exitCode) continue;
    const document = readEventDocument(readFileSync(join(OWN_SCENARIOS, name, 'event.json'))) as { Records?: Record<string, unknown>[] };
    for (const record of document.Records ?? [document as Record<string, unknown>]) {
      records.push(record);
      writeFileSync(join(root, `${String(record.eventID)}.json`), readFileSync(join(OWN_SCENARIOS, name, 'snapshot.json')));
    }
  }
  writeFileSync(join(root, 'trail.json'), JSON.stringify({ Records: records }));
  return { root, records, snapshots: new SnapshotDirectory(root) };
}

function valueAt(record: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], record);
}

/** The row the query selects from a record: text for each column, NULL for what is absent. */
function rowOf(record: Record<string, unknown>): Row {
  const cells = SELECTED_FIELDS.map(([, path]) => {
    const value = valueAt(record, path);
    if (value === undefined || value === null) return {};
    return { VarCharValue: typeof value === 'string' ? value : JSON.stringify(value) };
  });
  const resources = (record.resources as Record<string, string | undefined>[] | undefined) ?? [];
  const names = { arn: 'ARN', type: 'type', accountid: 'accountId' } as const;
  for (const field of RESOURCE_FIELDS) cells.push({ VarCharValue: resources.map((r) => r[names[field]] ?? '-').join(' ') });
  return { Data: cells };
}

function answerQuery(rows: Row[], pageSize: number) {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena
    .on(GetQueryExecutionCommand)
    .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
    .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 52_428_800 } } });
  const header: Row = { Data: [...SELECTED_FIELDS.map(([column]) => ({ VarCharValue: column })), {}, {}, {}] };
  const all = [header, ...rows];
  for (let at = 0, page = 0; at < all.length; at += pageSize, page += 1) {
    const next = at + pageSize < all.length ? { NextToken: `page-${page + 1}` } : {};
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', ...(page > 0 ? { NextToken: `page-${page}` } : {}) })
      .resolves({ ResultSet: { Rows: all.slice(at, at + pageSize) }, ...next });
  }
}

const comparable = (summary: ReplaySummary) => ({
  candidates: summary.candidates,
  diagnosed: summary.diagnosed,
  joined: summary.joined,
  malformedRecords: summary.malformedRecords,
  withoutSnapshot: summary.withoutSnapshot,
  groups: summary.denialGroups(),
});

describe('replay --athena', () => {
  it('asks one query, over the days and accounts asked for only, for the calls replay diagnoses', () => {
    expect(cloudTrailQuery(QUERY)).toBe(
      [
        `SELECT ${[...SELECTED_FIELDS.map(([c]) => c), ...RESOURCE_FIELDS.map((f) => `array_join(transform(resources, r -> coalesce(r.${f}, '-')), ' ')`)].join(',\n       ')}`,
        'FROM "security"."org_trail"',
        `WHERE "timestamp" BETWEEN '2026/11/01' AND '2026/12/01'`,
        `  AND account IN ('111122223333', '210987654321')`,
        `  AND eventtime >= '2026-11-01T00:00:00Z' AND eventtime < '2026-12-01T00:00:00Z'`,
        `  AND (errorcode IN ('AccessDenied', 'AccessDeniedException', 'AllAccessDisabled', 'AccessControlListNotSupported', 'ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'InvalidToken', 'InvalidAccessKeyId', 'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'NoSuchBucket', 'DisabledException', 'KMSInvalidStateException', 'NotFoundException', 'VpceAccessDenied') OR errorcode LIKE 'KMS.%')`,
        `  AND ((eventsource = 's3.amazonaws.com' AND eventname IN ('PutObject', 'CopyObject', 'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload')) OR (eventsource = 'kms.amazonaws.com' AND (eventname IN ('Encrypt', 'Decrypt') OR eventname LIKE 'GenerateDataKey%')))`,
        'ORDER BY eventtime',
      ].join('\n'),
    );
    expect(cloudTrailQuery({ ...QUERY, accounts: [] })).not.toContain('account IN');
  });

  it.each([
    [{ table: 'x"; DROP TABLE y; --' }, /table .*letters, digits and _ only/],
    [{ accounts: ["1' OR '1'='1"] }, /12 digits/],
    [{ since: '2026-11-01' }, /expected YYYY-MM-DDTHH:MM:SSZ/],
    [{ since: '2026-12-02T00:00:00Z' }, /is not before --until/],
  ])('refuses what would not be a safe or sensible query: %j', (change, message) => {
    expect(() => cloudTrailQuery({ ...QUERY, ...change })).toThrow(message);
  });

  it('gives the same summary as file replay over the same records, paged and polled', async () => {
    const { root, records, snapshots } = trail();
    const fromFiles = await replayLogs([join(root, 'trail.json')], { snapshots });
    answerQuery(records.filter((r) => isCandidate(r, null)).map(rowOf), 4);
    const waits: number[] = [];
    const seen: number[] = [];
    const { summary, progress } = await replayAthena(client, {
      ...QUERY,
      since: '2020-01-01T00:00:00Z',
      until: '2030-01-01T00:00:00Z',
      snapshots: new SnapshotDirectory(root),
      sleep: async (ms) => void waits.push(ms),
      onProgress: (p) => void seen.push(p.rowsRead),
    });
    expect(comparable(summary)).toEqual(comparable(fromFiles));
    expect(summary.diagnosed).toBeGreaterThan(15);
    expect(waits).toEqual([500]);
    expect(seen.at(-1)).toBe(progress.rowsRead);
    expect(athena.commandCalls(GetQueryResultsCommand).length).toBeGreaterThan(3);
    expect(progress).toMatchObject({ queryId: 'q-1', bytesScanned: 52_428_800, costUsd: costOf(52_428_800) });
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      WorkGroup: 'primary',
      QueryExecutionContext: { Database: 'security' },
    });
  });

  it('says why when the query fails, and reads no rows', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: {
          State: 'FAILED',
          AthenaError: { ErrorMessage: 'TABLE_NOT_FOUND: line 2:6: Table awsdatacatalog.security.org_trail does not exist' },
        },
      },
    });
    await expect(
      replayAthena(client, { ...QUERY, snapshots: new SnapshotDirectory(tmpdir()), sleep: async () => undefined }),
    ).rejects.toThrow('Athena query q-2 failed: TABLE_NOT_FOUND: line 2:6: Table awsdatacatalog.security.org_trail does not exist');
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it('counts a row whose JSON column is not JSON as that record’s error, and goes on', async () => {
    const { records } = trail();
    const row = rowOf(records[0]!);
    const at = SELECTED_FIELDS.findIndex(([, path]) => path === 'requestParameters');
    row.Data![at] = { VarCharValue: '{not json' };
    answerQuery([row, rowOf(records[1]!)], 10);
    const { summary } = await replayAthena(client, { ...QUERY, snapshots: new SnapshotDirectory(tmpdir()), sleep: async () => undefined });
    expect(summary.malformedRecords).toBe(1);
    expect(summary.recordErrors[0]).toMatchObject({ file: 'athena:q-1', index: 0, reason: 'row 0: requestParameters is not JSON' });
  });
});

describe('why-denied replay --athena, as typed', () => {
  it.each([
    [['--athena', '--collect'], /--athena needs --database and --table/],
    [['--athena', '--collect', '--database', 'security', '--table', 'org', 'AWSLogs'], /--athena reads the table, not files/],
    [['--collect'], /give log files or folders to replay, or --athena/],
    [['--athena', '--collect', '--database', 'security', '--table', 'org', '--until', 'yesterday'], /--until yesterday: not a date/],
    [['--athena', '--collect', '--database', 'security', '--table', 'org', '--accounts', '12345'], /account "12345": 12 digits/],
  ])('says what is wrong with %j in words, exit 2', (args, message) => {
    const result = runCli(['replay', ...args]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
