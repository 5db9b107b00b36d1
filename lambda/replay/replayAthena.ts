/**
 * `replay --athena`: one query over the trail's table instead of reading every log file, its rows paged
 * through the same run as file replay (so the summary is the same for the same records). A query that
 * fails says why; one still running is polled with a growing pause.
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html
 */
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { type CloudTrailQuery, cloudTrailQuery } from './cloudTrailQuery';
import { recordFromRow } from './recordFromRow';
import { ReplayRun, type SnapshotSource } from './ReplayRun';
import type { ReplaySummary } from './ReplaySummary';

export interface AthenaReplayOptions extends CloudTrailQuery {
  workgroup: string;
  /** Where Athena writes the results, when the workgroup does not say. */
  outputLocation?: string;
  snapshots: SnapshotSource;
  onProgress?: (progress: AthenaProgress) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface AthenaProgress {
  queryId: string;
  rowsRead: number;
  diagnosed: number;
  bytesScanned: number;
  costUsd: number;
}

export class AthenaQueryError extends Error {
  override name = 'AthenaQueryError';
}

/**
 * $5 per TB scanned, at least 10 MB a query. https://aws.amazon.com/athena/pricing/
 */
const USD_PER_TB = 5;
const MINIMUM_BYTES = 10 * 1024 * 1024;
export const costOf = (bytes: number) => (Math.max(bytes, MINIMUM_BYTES) / 1e12) * USD_PER_TB;

const PAGE_ROWS = 1000;
const POLL_FIRST_MS = 500;
const POLL_MOST_MS = 5_000;
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function finished(athena: AthenaClient, queryId: string, sleep: (ms: number) => Promise<void>): Promise<QueryExecution> {
  for (let pause = POLL_FIRST_MS; ; pause = Math.min(pause * 2, POLL_MOST_MS)) {
    const { QueryExecution: execution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }));
    const state = execution?.Status?.State;
    if (state === 'SUCCEEDED') return execution!;
    if (state === 'FAILED' || state === 'CANCELLED') {
      const why = execution?.Status?.AthenaError?.ErrorMessage ?? execution?.Status?.StateChangeReason ?? 'no reason given';
      throw new AthenaQueryError(`Athena query ${queryId} ${state.toLowerCase()}: ${why}`);
    }
    await sleep(pause);
  }
}

/** @example const { summary } = await replayAthena(new AthenaClient({}), { database, table, workgroup: 'primary', since, until, accounts: [], snapshots }) */
export async function replayAthena(
  athena: AthenaClient,
  options: AthenaReplayOptions,
): Promise<{ summary: ReplaySummary; progress: AthenaProgress }> {
  const started = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: cloudTrailQuery(options),
      WorkGroup: options.workgroup,
      QueryExecutionContext: { Database: options.database },
      ...(options.outputLocation ? { ResultConfiguration: { OutputLocation: options.outputLocation } } : {}),
    }),
  );
  const queryId = started.QueryExecutionId;
  if (!queryId) throw new AthenaQueryError('Athena started no query (no QueryExecutionId)');
  const execution = await finished(athena, queryId, options.sleep ?? sleepFor);
  const bytesScanned = execution.Statistics?.DataScannedInBytes ?? 0;
  const run = new ReplayRun(options.snapshots, options.since);
  const progress: AthenaProgress = { queryId, rowsRead: 0, diagnosed: 0, bytesScanned, costUsd: costOf(bytesScanned) };
  let token: string | undefined;
  let header = true;
  do {
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: queryId, MaxResults: PAGE_ROWS, NextToken: token }));
    // The first row of the first page names the columns.
    const rows = (page.ResultSet?.Rows ?? []).slice(header ? 1 : 0);
    header = false;
    const records = rows.map((row, i) =>
      recordFromRow(
        (row.Data ?? []).map((cell) => cell.VarCharValue),
        progress.rowsRead + i,
      ),
    );
    await run.diagnose(records, `athena:${queryId}`);
    progress.rowsRead += rows.length;
    progress.diagnosed = run.summary.diagnosed;
    options.onProgress?.(progress);
    token = page.NextToken;
  } while (token);
  return { summary: run.summary, progress };
}
