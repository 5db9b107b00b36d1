/**
 * CloudTrail log files under the given paths, as a trail delivers them
 * (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz`), plain `.json`, or exported NDJSON
 * (`.jsonl`, `.ndjson`), each maybe gzipped; yielded one at a time,
 * in path order, so a month of logs is never listed, let alone loaded, at once.
 */
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const LOG_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/i;

async function* walk(directory: string): AsyncGenerator<string> {
  const entries: { name: string; isDirectory: boolean }[] = [];
  for await (const entry of await opendir(directory)) entries.push({ name: entry.name, isDirectory: entry.isDirectory() });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory) yield* walk(path);
    else if (LOG_FILE.test(entry.name)) yield path;
  }
}

export async function* findLogFiles(paths: string[]): AsyncGenerator<string> {
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) yield* walk(path);
    else yield path;
  }
}
