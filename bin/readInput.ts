/** Files named on the command line, `-` for stdin, each failure naming the file. */
import { readFileSync } from 'node:fs';
import { EventError, type ParsedEvent, parseEvent, parseSnapshot, readEventDocument, SnapshotError } from '../lambda';
import type { AccountSnapshot } from '../lambda/snapshot';
import { CliInputError } from './errors';

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (error) {
    throw new CliInputError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export function readEvent(path: string): ParsedEvent {
  try {
    return parseEvent(readEventDocument(readBytes(path)));
  } catch (error) {
    if (error instanceof EventError) throw new CliInputError(`${path}: ${error.message}`);
    throw error;
  }
}

export function readJsonFile(path: string): unknown {
  try {
    return readEventDocument(readBytes(path));
  } catch (error) {
    if (error instanceof EventError) throw new CliInputError(`${path}: ${error.message}`);
    throw error;
  }
}

export function readSnapshot(path: string): AccountSnapshot {
  try {
    return parseSnapshot(readJsonFile(path));
  } catch (error) {
    if (error instanceof SnapshotError) throw new CliInputError(`${path}: ${error.message}`);
    throw error;
  }
}
