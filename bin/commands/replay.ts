/**
 * `why-denied replay <paths…> --snapshot-dir D`: a trail's history diagnosed in bulk and grouped.
 * Exit code 2 when some input was bad (it is reported per file and skipped; the rest is still replayed).
 */
import { statSync } from 'node:fs';
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

export async function replay(paths: string[], options: ReplayOptions, { out, err }: Output): Promise<number> {
  if (!(REPLAY_FORMATS as readonly string[]).includes(options.format)) {
    throw new CliInputError(`--format ${options.format}: expected one of ${REPLAY_FORMATS.join(', ')}`);
  }
  if (options.collect && options.snapshotDir) throw new CliInputError('--collect and --snapshot-dir: choose one source of snapshots');
  if (!options.collect && !options.snapshotDir) throw new CliInputError('--snapshot-dir or --collect is required');
  const since = options.since ? new Date(options.since) : null;
  if (since && Number.isNaN(since.getTime())) throw new CliInputError(`--since ${options.since}: not a date`);
  if (options.snapshotDir && !isFolder(options.snapshotDir)) {
    throw new CliInputError(`--snapshot-dir ${safeForTerminal(options.snapshotDir)}: no such folder`);
  }
  const folder = options.snapshotDir ? new SnapshotDirectory(options.snapshotDir) : null;
  const snapshots = folder ?? awsSnapshots(options);
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
  out.write(`${renderReplay(summary, options.format as ReplayFormat)}\n`);
  for (const bad of summary.badFiles) err.write(`${safeForTerminal(bad.file)}: ${safeForTerminal(bad.reason)}\n`);
  for (const bad of summary.recordErrors) err.write(`${recordProblemLine(bad)}\n`);
  return summary.badFiles.length > 0 || summary.malformedRecords > 0 ? 2 : 0;
}
