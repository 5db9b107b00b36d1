/**
 * Text that came from a request or an account (object keys, session names, ARNs, a record's fields, a JSON
 * parser's quote of the input), made inert before anyone reads it: C0 and C1 controls (escape sequences,
 * carriage returns, newlines that would forge a line), bidi overrides and marks that reorder what is shown
 * (Trojan Source, CVE-2021-42574), and zero-width characters that hide text are written as `\uXXXX`.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

/** @example escapeUnsafe('a\u001b[2Jb') // 'a\\u001b[2Jb' */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The longest line an error message is, after escaping: long values are cut with "…". */
export const MESSAGE_LIMIT = 300;

/** @example oneLine('bad key "a\nb"') // 'bad key "a\\u000ab"' */
export function oneLine(text: string, limit = MESSAGE_LIMIT): string {
  const escaped = escapeUnsafe(text);
  return escaped.length <= limit ? escaped : `${escaped.slice(0, limit - 1)}…`;
}
