/**
 * `ALERT_ROUTES`, as the stack writes it: where an account's or an OU's alerts go instead of the default
 * channels. A JSON object of route key (a 12-digit account, `ou-…` or `r-…`) → its SNS topic and/or Slack
 * webhook secret. Read once at the function's start; a malformed value stops it there, by name.
 */
import { ConfigurationError } from './ConfigurationError';
import { jsonObjectSetting } from './jsonSetting';
import { ROOT_OR_OU_ID } from './organizationIds';

export interface AlertDestination {
  topicArn?: string;
  slackWebhookSecretName?: string;
}

export type AlertRoutes = Readonly<Record<string, AlertDestination>>;

/** An account, an OU or the root: the keys a route may have. */
export const isRouteKey = (key: string) => /^\d{12}$/.test(key) || ROOT_OR_OU_ID.test(key);
const TOPIC_ARN = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

export function alertRoutesFrom(text: string | undefined): AlertRoutes {
  return text ? checkedAlertRoutes(jsonObjectSetting('ALERT_ROUTES', text)) : {};
}

/** Routes as the stack is given them or the function reads them back: every key and destination checked. */
export function checkedAlertRoutes(value: Readonly<Record<string, unknown>>): AlertRoutes {
  const routes: Record<string, AlertDestination> = Object.create(null) as Record<string, AlertDestination>;
  for (const [key, destination] of Object.entries(value)) {
    if (!isRouteKey(key)) throw new ConfigurationError(`ALERT_ROUTES: ${JSON.stringify(key)} is not an account, OU or root id`);
    const { topicArn, slackWebhookSecretName } = (destination ?? {}) as Record<string, unknown>;
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
