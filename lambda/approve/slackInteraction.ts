/**
 * A click on "Apply fix" or "Roll back" as Slack posts it to the approval endpoint. Slack signs
 * `v0:<timestamp>:<raw body>` with the app's signing secret; a request whose signature does not match, or
 * whose timestamp is more than five minutes from now, is not Slack's (or is a replay). Bolt's verifier is
 * used through its own module: 2.3 KB bundled, where the package's root export pulls in 1.5 MB.
 * https://api.slack.com/authentication/verifying-requests-from-slack
 * https://api.slack.com/reference/interaction-payloads/block-actions
 */
import { verifySlackRequest } from '@slack/bolt/dist/receivers/verify-request';
import { APPLY_ACTION_ID, ROLLBACK_ACTION_ID } from '../notify/approvalBlocks';
const WINDOW_SECONDS = 5 * 60;

export interface Approval {
  kind: 'apply' | 'rollback';
  planId: string;
  /** Slack's user id of who clicked: what the approver list names. */
  userId: string;
  userName: string;
  /** Where the outcome is posted: Slack's URL for this message, valid for 30 minutes. */
  responseUrl: string;
  /** The alert's timestamp: replies go to its thread. */
  messageTs: string | null;
  /** Where the click came from, as Slack says: compared with the workspace, app and channel configured. */
  origin: { teamId: string | null; enterpriseId: string | null; appId: string | null; channelId: string | null };
  /** The clicked message itself carries this button for this plan (a look-alike may carry another). */
  messageCarriesPlan: boolean;
}

export interface InteractionSettings {
  signingSecret: string;
  nowMs: number;
  /**
   * Where a response URL may point: Slack's hosts only, so a payload cannot turn the service into a
   * client of any other address (GovSlack answers from its own host).
   */
  responseUrlPrefixes: readonly string[];
}

/** The request is not Slack's, or not a click this service asked for: logged and answered with nothing. */
export class RefusedInteractionError extends Error {
  override name = 'RefusedInteractionError';
  constructor(
    message: string,
    readonly status: 401 | 400,
  ) {
    super(message);
  }
}

export interface SignedRequest {
  /** Header names in lower case, as a Lambda function URL gives them. */
  headers: Record<string, string | undefined>;
  rawBody: string;
}

function verify(request: SignedRequest, signingSecret: string, nowMs: number): void {
  const signature = request.headers['x-slack-signature'];
  const timestamp = Number(request.headers['x-slack-request-timestamp']);
  if (!signature || !Number.isInteger(timestamp)) throw new RefusedInteractionError('no Slack signature or timestamp', 401);
  // Bolt refuses a stale timestamp; one from the future is refused here, so the window holds both ways.
  if (timestamp > nowMs / 1000 + WINDOW_SECONDS) throw new RefusedInteractionError('timestamp in the future', 401);
  try {
    verifySlackRequest({
      signingSecret,
      body: request.rawBody,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: nowMs,
    });
  } catch (error) {
    throw new RefusedInteractionError((error as Error).message, 401);
  }
}

const text = (value: unknown, pattern: RegExp): string | null => (typeof value === 'string' && pattern.test(value) ? value : null);

/** @example approvalOf({ headers, rawBody }, { signingSecret, nowMs: Date.now(), responseUrlPrefixes }) // { kind: 'apply', … } */
export function approvalOf(request: SignedRequest, settings: InteractionSettings): Approval {
  verify(request, settings.signingSecret, settings.nowMs);
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(new URLSearchParams(request.rawBody).get('payload') ?? 'null') as Record<string, unknown>;
  } catch {
    throw new RefusedInteractionError('payload is not JSON', 400);
  }
  const actions = payload?.actions;
  const action = Array.isArray(actions) && actions.length === 1 ? (actions[0] as Record<string, unknown>) : null;
  const user = payload?.user as Record<string, unknown> | undefined;
  const kind = action?.action_id === APPLY_ACTION_ID ? 'apply' : action?.action_id === ROLLBACK_ACTION_ID ? 'rollback' : null;
  const planId = text(action?.value, /^[0-9a-f]{32}$/);
  const userId = text(user?.id, /^[UW][A-Z0-9]{2,20}$/);
  const responseUrl = text(payload?.response_url, /^\S{1,500}$/);
  const container = payload?.container as Record<string, unknown> | undefined;
  if (payload?.type !== 'block_actions' || !kind || !planId || !userId || !responseUrl) {
    throw new RefusedInteractionError('not an apply or roll-back click on a why-denied message', 400);
  }
  if (!settings.responseUrlPrefixes.some((prefix) => responseUrl.startsWith(prefix))) {
    throw new RefusedInteractionError('response_url is not a Slack address', 400);
  }
  const id = (value: unknown) => text((value as Record<string, unknown> | undefined)?.id, /^[A-Z0-9]{2,32}$/);
  return {
    kind,
    planId,
    userId,
    userName: text(user?.username ?? user?.name, /^[\w.-]{1,80}$/) ?? userId,
    responseUrl,
    messageTs: text(container?.message_ts, /^\d{1,12}\.\d{1,8}$/),
    origin: {
      teamId: id(payload.team),
      enterpriseId: id(payload.enterprise),
      appId: text(payload.api_app_id, /^[A-Z0-9]{2,32}$/),
      channelId: id(payload.channel),
    },
    messageCarriesPlan: carriesButton(payload.message, String(action?.action_id), planId),
  };
}

/** Does the message Slack says was clicked hold a button with this action and this plan? */
function carriesButton(message: unknown, actionId: string, planId: string): boolean {
  const blocks = (message as { blocks?: unknown } | null)?.blocks;
  if (!Array.isArray(blocks)) return false;
  return blocks.some((block) => {
    const elements = (block as { elements?: unknown } | null)?.elements;
    return (
      Array.isArray(elements) &&
      elements.some((e) => (e as { action_id?: unknown })?.action_id === actionId && (e as { value?: unknown })?.value === planId)
    );
  });
}
