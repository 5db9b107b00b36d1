/** Runs one replay in a fresh process and prints its throughput and peak memory as JSON. */
import { replayLogs } from '../lambda/replay/replayLogs';
import { SnapshotDirectory } from '../lambda/replay/SnapshotDirectory';

async function main(): Promise<void> {
  const [logs, snapshots] = process.argv.slice(2);
  if (!logs || !snapshots) throw new Error('usage: replayWorker <logs> <snapshots>');
  const started = process.hrtime.bigint();
  const summary = await replayLogs([logs], { snapshots: new SnapshotDirectory(snapshots) });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    JSON.stringify({
      files: summary.files,
      records: summary.records,
      diagnosed: summary.diagnosed,
      seconds: Number(seconds.toFixed(3)),
      recordsPerSecond: Math.round(summary.records / seconds),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
});
