/** The engine alone (parse + diagnose, no I/O) over the worked scenarios, many times. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diagnose, parseEvent, parseSnapshot, readEventDocument } from '../lambda';

const ROOT = resolve(__dirname, '../..');
const SHARED = resolve(ROOT, '../shared/scenarios');
const OWN = resolve(ROOT, 'test/fixtures/scenarios');

interface Input {
  name: string;
  event: unknown;
  snapshot: ReturnType<typeof parseSnapshot>;
}

function load(dir: string): Input[] {
  return readdirSync(dir)
    .filter(
      (name) =>
        existsSync(join(dir, name, 'snapshot.json')) && !JSON.parse(readFileSync(join(dir, name, 'expected.json'), 'utf8')).exitCode,
    )
    .sort()
    .map((name) => ({
      name,
      event: readEventDocument(readFileSync(join(dir, name, 'event.json'))),
      snapshot: parseSnapshot(JSON.parse(readFileSync(join(dir, name, 'snapshot.json'), 'utf8'))),
    }));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function measure(inputs: Input[], rounds: number) {
  const once = (input: Input) => {
    for (const request of parseEvent(input.event).requests) diagnose(request, input.snapshot);
  };
  for (let i = 0; i < 200; i += 1) for (const input of inputs) once(input);
  const samples: number[] = [];
  const started = process.hrtime.bigint();
  for (let round = 0; round < rounds; round += 1) {
    for (const input of inputs) {
      const t0 = process.hrtime.bigint();
      once(input);
      samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  samples.sort((a, b) => a - b);
  return {
    diagnoses: samples.length,
    diagnosesPerSecond: Math.round(samples.length / seconds),
    p50Microseconds: Number(percentile(samples, 50).toFixed(1)),
    p99Microseconds: Number(percentile(samples, 99).toFixed(1)),
  };
}

/** The engine alone over the worked scenarios: shared ones when present (as CI has), else the project's own. */
export function measureEngine() {
  const source = existsSync(SHARED) ? SHARED : OWN;
  const inputs = load(source);
  return { scenarios: inputs.length, source: source === SHARED ? 'shared/scenarios' : 'test/fixtures/scenarios', ...measure(inputs, 2000) };
}
