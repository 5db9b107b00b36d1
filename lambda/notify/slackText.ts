/**
 * Untrusted text (object keys, session names, user agents, policy text) made inert for Slack.
 *
 * Slack parses `&`, `<` and `>` as control characters: `<!channel>`, `<@U123>` and `<https://x|y>` are
 * mentions and links only when those survive, so they are escaped.
 * https://api.slack.com/reference/surfaces/formatting#escaping
 * Bare URLs and `@here` are still linked or highlighted by clients, and `*_~` and backticks format mrkdwn,
 * so a zero-width space is put where it breaks the pattern without changing what a reader sees.
 */
const ZERO_WIDTH_SPACE = '\u200b';

export function escapeSlackControl(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function defang(text: string): string {
  return text
    .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZERO_WIDTH_SPACE}.`)
    .replace(/@(?=(channel|here|everyone)\b)/gi, `@${ZERO_WIDTH_SPACE}`);
}

/** For `plain_text` objects: no mrkdwn there, but clients still link bare URLs and highlight @here. */
export function inertPlainText(text: string): string {
  return defang(escapeSlackControl(text));
}

/** For untrusted words inside our own mrkdwn: formatting characters are split from what they would wrap. */
export function inertMrkdwn(text: string): string {
  return inertPlainText(text).replace(/[*_~`]/g, (c) => `${ZERO_WIDTH_SPACE}${c}${ZERO_WIDTH_SPACE}`);
}

/**
 * For a ``` code block, which is meant to be pasted: nothing is inserted into it (a zero-width space in
 * `file://` or in a key would paste as a broken command or another key). Slack's own escapes render back
 * as the characters, and only a run of three backticks could close the block early, so only such a run
 * becomes look-alikes. Clients link neither URLs nor mentions inside a code block.
 */
export function inertCode(text: string): string {
  return escapeSlackControl(text).replace(/`{3,}/g, (run) => 'ˋ'.repeat(run.length));
}

/** Cuts text to a Slack limit with a visible note, never inside an escape sequence. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const note = ` … (truncated, ${text.length} characters in all)`;
  let cut = text.slice(0, Math.max(0, limit - note.length));
  const ampersand = cut.lastIndexOf('&');
  if (ampersand > cut.length - 6 && !cut.slice(ampersand).includes(';')) cut = cut.slice(0, ampersand);
  return cut + note;
}
