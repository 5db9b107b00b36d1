/**
 * `ALERT_ROUTES`, as the stack writes it: where an account's or an OU's alerts go instead of the default
 * channels. A JSON object of route key (a 12-digit account, `ou-…` or `r-…`) → its SNS topic and/or Slack
 * webhook secret. Read once at the function's start; a malformed value stops it there, by name.
 */
import { ConfigurationError } from './ConfigurationError';

export interface AlertDestination {
  topicArn?: string;
  slackWebhookSecretName?: string;
}

export type AlertRoutes = Readonly<Record<string, AlertDestination>>;

export const ROUTE_KEY = /^(\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
const TOPIC_ARN = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

export function alertRoutesFrom(text: string | undefined): AlertRoutes {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigurationError('environment variable ALERT_ROUTES is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigurationError('ALERT_ROUTES is not an object');
  const routes: Record<string, AlertDestination> = Object.create(null) as Record<string, AlertDestination>;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!ROUTE_KEY.test(key)) throw new ConfigurationError(`ALERT_ROUTES: ${JSON.stringify(key)} is not an account, OU or root id`);
    const { topicArn, slackWebhookSecretName } = (value ?? {}) as Record<string, unknown>;
    if (topicArn !== undefined && (typeof topicArn !== 'string' || !TOPIC_ARN.test(topicArn)))
      throw new ConfigurationError(`ALERT_ROUTES: ${key} has a topicArn that is not an SNS topic ARN`);
    if (slackWebhookSecretName !== undefined && (typeof slackWebhookSecretName !== 'string' || slackWebhookSecretName === ''))
      throw new ConfigurationError(`ALERT_ROUTES: ${key} has an empty slackWebhookSecretName`);
    if (topicArn === undefined && slackWebhookSecretName === undefined)
      throw new ConfigurationError(`ALERT_ROUTES: ${key} names neither a topicArn nor a slackWebhookSecretName`);
    routes[key] = {
      ...(typeof topicArn === 'string' ? { topicArn } : {}),
      ...(typeof slackWebhookSecretName === 'string' ? { slackWebhookSecretName } : {}),
    };
  }
  return routes;
}
