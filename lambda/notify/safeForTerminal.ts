/**
 * Untrusted text (object keys, session names, user agents, file names) for a terminal: C0 and C1 controls
 * (escape sequences, carriage returns, newlines that would forge a line), bidi overrides and marks that reorder
 * what is shown (Trojan Source, CVE-2021-42574), and zero-width characters that hide text are shown as
 * `\uXXXX` escapes, never sent raw.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

/** @example safeForTerminal('a\u001b[2Jb') // 'a\\u001b[2Jb' */
export function safeForTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A JSON value laid out for a terminal: the line breaks of the layout are ours and stay; every character
 * inside a value that could move the cursor or hide text is escaped as above.
 */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).split('\n').map(safeForTerminal).join('\n');
}
