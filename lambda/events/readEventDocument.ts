/** Bytes from a file, stdin or S3 to a JSON document: gzip is detected by its magic number, not the file name. */
import { gunzipSync } from 'node:zlib';
import { MalformedEventError } from './errors';

/** A month of CloudTrail for one busy account stays far below this; anything larger is refused, not parsed. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * @example readEventDocument(readFileSync('event.json'))
 */
export function readEventDocument(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = isGzip(bytes)
      ? gunzipSync(bytes, { maxOutputLength: MAX_DOCUMENT_BYTES }).toString('utf8')
      : Buffer.from(bytes).toString('utf8');
  } catch (error) {
    throw new MalformedEventError(`not a readable gzip stream (${(error as Error).message})`, null, { cause: error });
  }
  if (text.length > MAX_DOCUMENT_BYTES) {
    throw new MalformedEventError(`document is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedEventError(`not valid JSON (${(error as Error).message})`, null, { cause: error });
  }
}
