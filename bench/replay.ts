/**
 * Replay over a generated day of CloudTrail (about 100,000 records, a few hundred denials), in two layouts:
 * few large files and many small ones, to show that peak memory follows the largest file, not their number.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateTrail, type TrailShape } from './generateTrail';

const SCENARIO = resolve(__dirname, '../../test/fixtures/scenarios/bucket-policy-denies-plain-http');

function replayDay(shape: TrailShape) {
  const root = mkdtempSync(join(tmpdir(), 'why-denied-bench-'));
  try {
    const snapshots = join(root, 'snapshots');
    mkdirSync(snapshots);
    copyFileSync(join(SCENARIO, 'snapshot.json'), join(snapshots, 'northwind-invoices-prod.json'));
    generateTrail(join(root, 'logs'), join(SCENARIO, 'event.json'), shape);
    const output = execFileSync(process.execPath, [join(__dirname, 'replayWorker.js'), join(root, 'logs'), snapshots], {
      encoding: 'utf8',
    });
    return { ...shape, ...JSON.parse(output) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function measureReplay() {
  return {
    fewLargeFiles: replayDay({ files: 96, recordsPerFile: 1050, deniedPerFile: 3 }),
    manySmallFiles: replayDay({ files: 768, recordsPerFile: 132, deniedPerFile: 1 }),
  };
}
