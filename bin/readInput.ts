/** Files named on the command line, `-` for stdin, each failure naming the file. */
import { readFileSync } from 'node:fs';
import { EventError, parseEvent, type ParsedEvent, parseSnapshot, readEventDocument, SnapshotError } from '../lambda';
import type { AccountSnapshot } from '../lambda/model/snapshot';
import { CliInputError } from './errors';
import { PatchError } from '../lambda/model/patchError';
import { parseChange } from '../lambda/whatIf/parseChange';
import type { Change } from '../lambda/whatIf/whatIf';

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (error) {
    throw new CliInputError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Reads and interprets one file; what is wrong with its content becomes one line naming the file. */
function fromFile<T>(path: string, interpret: (document: unknown) => T): T {
  try {
    return interpret(readEventDocument(readBytes(path)));
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
  return fromFile(path, parseSnapshot);
}

export function readChange(path: string): Change {
  return fromFile(path, parseChange);
}
