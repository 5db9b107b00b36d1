/**
 * Bytes from a file, stdin or S3 to a JSON document: gzip is detected by its magic number, not the file name;
 * a UTF-8 byte order mark is dropped and UTF-16 with one is read; NDJSON (`.jsonl`, one record a line, as exports and SIEMs write
 * CloudTrail) becomes a log file whose unreadable lines are that line's error, not the file's.
 */
import { gunzipSync } from 'node:zlib';
import { MalformedEventError } from './errors';

/** A month of CloudTrail for one busy account stays far below this; anything larger is refused, not parsed. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

const BYTE_ORDER_MARK = '\uFEFF';

/** One NDJSON line that is not JSON: it stands in the log file's Records so its index and reason are kept. */
export class UnreadableLine {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {}
}

/**
 * The text of the bytes: UTF-16 when its byte order mark says so (Windows tools write it), else UTF-8,
 * which must decode cleanly; Latin-1 or another code page is refused as not UTF-8 rather than read as
 * mojibake.
 */
// One decoder for every document: making one per call was a measurable share of reading a record.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodedText(raw: Uint8Array): string {
  if (raw[0] === 0xff && raw[1] === 0xfe) return new TextDecoder('utf-16le').decode(raw.subarray(2));
  if (raw[0] === 0xfe && raw[1] === 0xff) return new TextDecoder('utf-16be').decode(raw.subarray(2));
  try {
    return UTF8.decode(raw);
  } catch {
    throw new MalformedEventError('not UTF-8 text: save the file as UTF-8 (or UTF-16 with a byte order mark)');
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * @example readEventDocument(readFileSync('event.json'))
 */
export function readEventDocument(bytes: Uint8Array): unknown {
  let raw: Uint8Array;
  try {
    // Plain bytes are decoded where they are, not copied first.
    raw = isGzip(bytes) ? gunzipSync(bytes, { maxOutputLength: MAX_DOCUMENT_BYTES }) : bytes;
  } catch (error) {
    throw new MalformedEventError(`not a readable gzip stream (${(error as Error).message})`, null, { cause: error });
  }
  let text = decodedText(raw);
  if (text.length > MAX_DOCUMENT_BYTES) {
    throw new MalformedEventError(`document is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  }
  if (text.startsWith(BYTE_ORDER_MARK)) text = text.slice(1);
  if (!/\S/.test(text)) throw new MalformedEventError('empty: expected a CloudTrail record, an EventBridge envelope or a log file');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const lines = asJsonLines(text);
    if (lines) return { Records: lines };
    throw new MalformedEventError(`not valid JSON (${(error as Error).message})`, null, { cause: error });
  }
}

/** Several lines, the first a JSON object: NDJSON. Anything else stays "not valid JSON". */
function asJsonLines(text: string): unknown[] | null {
  const lines = text.split(/\r?\n/);
  const records: unknown[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as unknown);
    } catch (error) {
      if (records.length === 0) return null;
      records.push(new UnreadableLine(index + 1, `line ${index + 1} is not valid JSON (${(error as Error).message})`));
    }
  }
  const first = records[0];
  return records.length > 1 && typeof first === 'object' && first !== null && !Array.isArray(first) ? records : null;
}
