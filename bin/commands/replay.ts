/**
 * `why-denied replay <paths…> --snapshot-dir D`: a trail's history diagnosed in bulk and grouped; with
 * `--athena`, read from the trail's Athena table by one query instead of file by file.
 * Exit code 2 when some input was bad (it is reported per file and skipped; the rest is still replayed).
 */
import { statSync } from 'node:fs';
import { AthenaClient } from '@aws-sdk/client-athena';
import { QueryInputError } from '../../lambda/replay/cloudTrailQuery';
import { type AthenaProgress, AthenaQueryError, replayAthena } from '../../lambda/replay/replayAthena';
import type { SnapshotSource } from '../../lambda/replay/ReplayRun';
import type { ReplaySummary } from '../../lambda/replay/ReplaySummary';
import { awsAccessError } from '../awsAccessError';
import { SnapshotDirectory } from '../../lambda/replay/SnapshotDirectory';
import { replayLogs } from '../../lambda/replay/replayLogs';
import { findLogFiles } from '../../lambda/replay/findLogFiles';
import { isDigestPath } from '../../lambda/replay/isDigestFile';
import { CliInputError } from '../errors';
import { safeForTerminal } from '../../lambda/notify/safeForTerminal';
import { recordProblemLine } from '../recordProblem';
import { REPLAY_FORMATS, type ReplayFormat, renderReplay } from '../renderReplay';
import { type AwsAccess, awsSnapshots } from '../snapshotSource';
import type { Output } from '../output';

export interface ReplayOptions extends AwsAccess {
  snapshotDir?: string;
  collect?: boolean;
  since?: string;
  format: string;
  athena?: boolean;
  database?: string;
  table?: string;
  workgroup?: string;
  outputLocation?: string;
  until?: string;
  accounts?: string;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A progress line for people at a terminal, out of the files there are (counted first: listing folders is
 * cheap beside reading the files); nothing in CI or when stderr is piped.
 */
async function progress(paths: string[], err: NodeJS.WritableStream & { isTTY?: boolean }) {
  if (!err.isTTY || process.env.CI) return undefined;
  let total = 0;
  for await (const file of findLogFiles(paths)) if (!isDigestPath(file)) total += 1;
  return (file: string, summary: { files: number; records: number; diagnosed: number }) => {
    err.write(
      `\r\u001b[2K${summary.files} of ${total} files, ${summary.records} records, ${summary.diagnosed} denials… ${safeForTerminal(file.slice(-50))}`,
    );
  };
}

function dateOption(name: string, value: string | undefined): Date | null {
  const date = value ? new Date(value) : null;
  if (date && Number.isNaN(date.getTime())) throw new CliInputError(`${name} ${safeForTerminal(value ?? '')}: not a date`);
  return date;
}

/** Whole seconds in UTC, as CloudTrail writes eventTime. */
const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function report(summary: ReplaySummary, format: ReplayFormat, { out, err }: Output): number {
  out.write(`${renderReplay(summary, format)}\n`);
  for (const bad of summary.badFiles) err.write(`${safeForTerminal(bad.file)}: ${safeForTerminal(bad.reason)}\n`);
  for (const bad of summary.recordErrors) err.write(`${recordProblemLine(bad)}\n`);
  return summary.badFiles.length > 0 || summary.malformedRecords > 0 ? 2 : 0;
}

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** One query over the trail's table; its rows go through the same replay as files, then the same summary. */
async function replayFromAthena(options: ReplayOptions, snapshots: SnapshotSource, output: Output): Promise<number> {
  if (!options.database || !options.table) throw new CliInputError('--athena needs --database and --table');
  const until = dateOption('--until', options.until) ?? new Date();
  const since = dateOption('--since', options.since) ?? new Date(until.getTime() - 24 * 3600_000);
  const accounts = (options.accounts ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const tty = Boolean((output.err as { isTTY?: boolean }).isTTY) && !process.env.CI;
  const line = (p: AthenaProgress) =>
    `${p.rowsRead} rows read, ${p.diagnosed} diagnosed, ${megabytes(p.bytesScanned)} scanned ($${p.costUsd.toFixed(4)})`;
  try {
    const { summary, progress } = await replayAthena(
      new AthenaClient({ ...(options.region ? { region: options.region } : {}), ...(options.profile ? { profile: options.profile } : {}) }),
      {
        database: options.database,
        table: options.table,
        workgroup: options.workgroup ?? 'primary',
        ...(options.outputLocation ? { outputLocation: options.outputLocation } : {}),
        since: isoSeconds(since),
        until: isoSeconds(until),
        accounts,
        snapshots,
        ...(tty ? { onProgress: (p: AthenaProgress) => output.err.write(`\r\u001b[2K${line(p)}…`) } : {}),
      },
    );
    if (tty) output.err.write('\r\u001b[2K');
    output.err.write(`Athena query ${progress.queryId}: ${line(progress)}\n`);
    return report(summary, options.format as ReplayFormat, output);
  } catch (error) {
    if (error instanceof QueryInputError || error instanceof AthenaQueryError) throw new CliInputError(error.message);
    throw awsAccessError(error, options.region ?? 'the default region', { profile: options.profile });
  }
}

export async function replay(paths: string[], options: ReplayOptions, output: Output): Promise<number> {
  const { err } = output;
  if (!(REPLAY_FORMATS as readonly string[]).includes(options.format)) {
    throw new CliInputError(`--format ${options.format}: expected one of ${REPLAY_FORMATS.join(', ')}`);
  }
  if (options.collect && options.snapshotDir) throw new CliInputError('--collect and --snapshot-dir: choose one source of snapshots');
  if (!options.collect && !options.snapshotDir) throw new CliInputError('--snapshot-dir or --collect is required');
  if (options.athena && paths.length > 0) throw new CliInputError('--athena reads the table, not files: leave out the paths');
  if (!options.athena && paths.length === 0) throw new CliInputError('give log files or folders to replay, or --athena');
  const since = dateOption('--since', options.since);
  if (options.snapshotDir && !isFolder(options.snapshotDir)) {
    throw new CliInputError(`--snapshot-dir ${safeForTerminal(options.snapshotDir)}: no such folder`);
  }
  const folder = options.snapshotDir ? new SnapshotDirectory(options.snapshotDir) : null;
  const snapshots = folder ?? awsSnapshots(options);
  if (options.athena) return replayFromAthena(options, snapshots, output);
  const onFile = await progress(paths, err).catch(() => undefined);
  let summary: Awaited<ReturnType<typeof replayLogs>>;
  try {
    summary = await replayLogs(paths, {
      snapshots,
      since: since?.toISOString().replace('.000Z', 'Z') ?? null,
      ...(onFile ? { onFile } : {}),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliInputError(`${(error as NodeJS.ErrnoException).path}: no such file or folder`);
    throw error;
  }
  if (onFile) err.write('\r\u001b[2K');
  summary.badFiles.push(...(folder?.problems ?? []));
  return report(summary, options.format as ReplayFormat, output);
}
