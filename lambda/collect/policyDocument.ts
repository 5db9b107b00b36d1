/**
 * Policy documents as AWS returns them: IAM URL-encodes them (RFC 3986), the others send JSON text.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html
 */
import type { PolicyDocument } from '../policy/types';

export class MalformedDocumentError extends Error {
  override name = 'MalformedDocumentError';
}

export function parsePolicyDocument(text: string | undefined, urlEncoded: boolean): PolicyDocument {
  if (!text) throw new MalformedDocumentError('empty policy document');
  let json = text;
  if (urlEncoded) {
    try {
      json = decodeURIComponent(text);
    } catch {
      throw new MalformedDocumentError('policy document is not valid URL encoding');
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new MalformedDocumentError('policy document is not valid JSON');
  }
  const statement = (parsed as { Statement?: unknown } | null)?.Statement;
  if (typeof statement !== 'object' || statement === null) throw new MalformedDocumentError('policy document has no Statement');
  return parsed as PolicyDocument;
}
