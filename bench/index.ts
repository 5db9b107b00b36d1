/**
 * `npm run bench`: every figure the issues track, written to bench/results.json. Tests never assert timings.
 * `npm run bench -- --delay-ms 30` sets how long the stand-in AWS takes to answer each call (default 30).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { measureEngine } from './engine';
import { measureReplay } from './replay';
import { measureCollectCalls } from './collectCalls';
import { measureService } from './service';
import { measureLatency } from './latency';
import { compareWithIamSimulate } from './iamSimulate';

function delayMs(argv: string[]): number {
  const at = argv.indexOf('--delay-ms');
  const value = at === -1 ? 30 : Number(argv[at + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error('--delay-ms takes a number of milliseconds');
  return value;
}

async function main(): Promise<void> {
  const results = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    engine: measureEngine(),
    engineBesideIamSimulate: await compareWithIamSimulate(),
    replay: measureReplay(),
    collectorApiCalls: await measureCollectCalls(),
    service: await measureService(),
    livePath: await measureLatency({ delayMs: delayMs(process.argv), runsPerScenario: 5 }),
  };
  const out = resolve(__dirname, '../../bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(resolve(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

void main();
