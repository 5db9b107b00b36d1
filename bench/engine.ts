/**
 * The engine over the worked scenarios, many times, with no I/O: `diagnose` alone on requests parsed
 * beforehand, and the full path from a parsed JSON record (parse + diagnose). A hostile key (1,024 bytes of
 * `/`) is timed beside the scenario's own key, as wildcard matching must stay linear.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diagnose, parseEvent, parseSnapshot, readEventDocument } from '../lambda';

const ROOT = resolve(__dirname, '../..');
const SHARED = resolve(ROOT, '../shared/scenarios');
const OWN = resolve(ROOT, 'test/fixtures/scenarios');

export interface Input {
  name: string;
  /** The record file's bytes, as the service receives them. */
  bytes: Buffer;
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
      bytes: readFileSync(join(dir, name, 'event.json')),
      event: readEventDocument(readFileSync(join(dir, name, 'event.json'))),
      snapshot: parseSnapshot(JSON.parse(readFileSync(join(dir, name, 'snapshot.json'), 'utf8'))),
    }));
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function measure(inputs: Input[], rounds: number, once: (input: Input) => void) {
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

/** Bytes to requests: what parsing costs before any diagnosis (the scenarios with one record each). */
const parseOnly = (input: Input) => {
  parseEvent(readEventDocument(input.bytes));
};

const parseAndDiagnose = (input: Input) => {
  for (const request of parseEvent(input.event).requests) diagnose(request, input.snapshot);
};

function diagnoseOnly(inputs: Input[]) {
  const parsed = new Map(inputs.map((input) => [input, parseEvent(input.event).requests] as const));
  return (input: Input) => {
    for (const request of parsed.get(input) ?? []) diagnose(request, input.snapshot);
  };
}

/** Each scenario's record with its object key replaced by 1,024 slashes. */
function withHostileKeys(inputs: Input[]): Input[] {
  const hostile = '/'.repeat(1024);
  return inputs.map((input) => {
    const text = JSON.stringify(input.event);
    const record = JSON.parse(text) as { detail?: { requestParameters?: { key?: string } }; requestParameters?: { key?: string } };
    const params = (record.detail ?? record).requestParameters;
    if (params?.key !== undefined) params.key = hostile;
    return { ...input, event: record };
  });
}

/** The worked scenarios the engine is timed on: shared ones when present (as CI has), else the project's own. */
export function engineInputs(): { source: string; inputs: Input[] } {
  const source = existsSync(SHARED) ? SHARED : OWN;
  return { source: source === SHARED ? 'shared/scenarios' : 'test/fixtures/scenarios', inputs: load(source) };
}

/** The engine alone over the worked scenarios, with no I/O. */
export function measureEngine() {
  const { source, inputs } = engineInputs();
  return {
    scenarios: inputs.length,
    source,
    parseOneRecord: measure(
      inputs.filter((input) => parseEvent(input.event).requests.length === 1),
      2000,
      parseOnly,
    ),
    diagnoseOnly: measure(inputs, 2000, diagnoseOnly(inputs)),
    parseAndDiagnose: measure(inputs, 2000, parseAndDiagnose),
    parseAndDiagnoseWith1024ByteKeys: measure(withHostileKeys(inputs), 2000, parseAndDiagnose),
  };
}
