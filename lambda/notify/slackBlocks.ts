/**
 * The Block Kit pieces every why-denied message is made of, with Slack's limits. Untrusted text goes only
 * through `plain` or `codeBlock`; `mrkdwn` is for our own words.
 * https://api.slack.com/reference/block-kit/blocks
 * https://api.slack.com/reference/block-kit/block-elements#button
 */
import { inertCode, inertPlainText, truncate } from './slackText';

export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  contextElements: 10,
  fallbackText: 3000,
  buttonText: 75,
  confirmTitle: 100,
  confirmText: 300,
};

export type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };

/** A link button, or an action button whose click Slack posts to the app with its `action_id` and `value`. */
export type SlackButton = { type: 'button'; text: TextObject } & (
  | { url: string }
  | {
      action_id: string;
      value: string;
      style?: 'primary' | 'danger';
      confirm?: { title: TextObject; text: TextObject; confirm: TextObject; deny: TextObject };
    }
);

export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' }
  | { type: 'actions'; elements: SlackButton[] };

export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

export const plain = (text: string, limit: number): TextObject => ({
  type: 'plain_text',
  text: truncate(inertPlainText(text), limit),
  emoji: false,
});

export const mrkdwn = (text: string): TextObject => ({ type: 'mrkdwn', text });

const FENCE = '```';

function roomFor(label: string): number {
  return SLACK_LIMITS.sectionText - label.length - FENCE.length * 2 - 2;
}

export function codeBlock(label: string, body: string): SlackBlock {
  return { type: 'section', text: mrkdwn(`${label}\n${FENCE}${truncate(inertCode(body), roomFor(label))}${FENCE}`) };
}

/** Does the body show in a code block exactly as it is: not cut, and no backtick run made a look-alike? */
export function showsExactly(label: string, body: string): boolean {
  const code = inertCode(body);
  return code.length <= roomFor(label) && !/`{3,}/.test(body);
}

/** A message sent to an interaction's `response_url`: in the channel, as a reply in the alert's thread. */
export interface SlackReply extends SlackPayload {
  response_type?: 'in_channel' | 'ephemeral';
  replace_original?: boolean;
  thread_ts?: string;
}
