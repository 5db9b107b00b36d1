/**
 * Error messages at the library's boundary quote the input (event names, error codes, ARNs, a parser's view
 * of the file): each is one line of at most 300 characters, its control characters escaped, a long value cut.
 */
import { EventError, parseEvent, parseSnapshot, readEventDocument, SnapshotError } from '../../lambda';
import { s3Record } from '../factories';

const HOSTILE = `PutObject\n\u001b[2J\u202e${'A'.repeat(66_000)}`;

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

function expectOneInertLine(message: string) {
  expect(message.length).toBeLessThanOrEqual(300);
  expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
}

describe('an error message at the library’s boundary', () => {
  it.each<[string, () => unknown]>([
    ['an event name out of scope', () => parseEvent(s3Record({ eventName: HOSTILE }))],
    ['an error code', () => parseEvent(s3Record({ errorCode: HOSTILE }))],
    ['an event source', () => parseEvent(s3Record({ eventSource: HOSTILE }))],
    ['a file that is not JSON', () => readEventDocument(Buffer.from(`{"Records": [\n${HOSTILE}`))],
    ['a snapshot of the wrong shape', () => parseSnapshot({ snapshotVersion: HOSTILE })],
  ])('%s is one inert line', (_name, run) => {
    const message = messageOf(run);
    expectOneInertLine(message);
    expect(message.endsWith('…') || message.length < 300).toBe(true);
  });

  it('keeps the classes callers test for', () => {
    expect(() => parseEvent(s3Record({ eventName: HOSTILE }))).toThrow(EventError);
    expect(() => parseSnapshot({ snapshotVersion: HOSTILE })).toThrow(SnapshotError);
  });

  it('says why a record of a log file was skipped in one inert line', () => {
    const parsed = parseEvent({ Records: [s3Record(), s3Record({ eventName: HOSTILE })] });
    expect(parsed.skipped).toHaveLength(1);
    expectOneInertLine(parsed.skipped[0]!.reason);
  });
});
