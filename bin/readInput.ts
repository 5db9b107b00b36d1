/** Files named on the command line, `-` for stdin, each failure naming the file. */
import { readFileSync } from 'node:fs';
import { EventError, parseEvent, type ParsedEvent, parseSnapshot, readEventDocument, SnapshotError } from '../lambda';
import type { AccountSnapshot } from '../lambda/model/snapshot';
import { CliInputError } from './errors';
import { PatchError } from '../lambda/model/patchError';
import { parseChange } from '../lambda/whatIf/parseChange';
import type { Change } from '../lambda/whatIf/whatIf';

/** What a person reads for the file errors a path can meet: words, not errno codes. */
const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a folder: give one file (replay reads folders)',
  EACCES: 'not readable by this user',
  ENOTDIR: 'a part of the path is not a folder',
};

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliInputError(`${path}: ${(code && READ_ERRORS[code]) ?? `cannot read (${code ?? (error as Error).message})`}`);
  }
}

/** Reads and interprets one file; what is wrong with its content becomes one line naming the file. */
function fromFile<T>(path: string, interpret: (document: unknown) => T, bytes: Buffer = readBytes(path)): T {
  try {
    return interpret(readEventDocument(bytes));
  } catch (error) {
    if (error instanceof EventError || error instanceof SnapshotError || error instanceof PatchError) {
      throw new CliInputError(`${path}: ${error.message}`);
    }
    throw error;
  }
}

export function readEvent(path: string): ParsedEvent {
  return fromFile(path, parseEvent);
}

export function readSnapshot(path: string): AccountSnapshot {
  // An empty file is no event either: say what this argument expects.
  const bytes = readBytes(path);
  if (bytes.toString('utf8').trim() === '') {
    throw new CliInputError(`${path}: empty: expected a why-denied snapshot (why-denied collect writes one)`);
  }
  return fromFile(path, parseSnapshot, bytes);
}

export function readChange(path: string): Change {
  return fromFile(path, parseChange);
}
