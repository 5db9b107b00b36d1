/** Untrusted text for a terminal: every character that could move the cursor, reorder or hide text is escaped. */
import { escapeUnsafe } from '../model/inertText';

/** @example safeForTerminal('a\u001b[2Jb') // 'a\\u001b[2Jb' */
export const safeForTerminal = escapeUnsafe;

/**
 * A JSON value laid out for a terminal: the line breaks of the layout are ours and stay; every character
 * inside a value that could move the cursor or hide text is escaped as above.
 */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).split('\n').map(safeForTerminal).join('\n');
}
