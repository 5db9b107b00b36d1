/** `npm run bench`: every figure the issues track, written to bench/results.json. Tests never assert timings. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { measureEngine } from './engine';
import { measureReplay } from './replay';
import { measureCollectCalls } from './collectCalls';
import { measureService } from './service';

async function main(): Promise<void> {
  const results = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    engine: measureEngine(),
    replay: measureReplay(),
    collectorApiCalls: await measureCollectCalls(),
    service: await measureService(),
  };
  const out = resolve(__dirname, '../../bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(resolve(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

void main();
