/**
 * The channels of the route a denial takes (`ALERT_ROUTES`): the first of its route keys that has one. Each
 * routed webhook is read on first use and kept, as the default one is.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AlertRoutes } from '../settings/alertRoutes';
import { oncePerKey } from '../collect/oncePerKey';
import { cachedSecret } from '../settings/cachedSecret';
import type { ServiceDependencies } from './processRequest';

/** @returns undefined when there are no routes: every alert takes the default channels. */
export function routesFrom(
  routes: AlertRoutes,
  clients: { sns: SNSClient; secrets: SecretsManagerClient; amazonQ: boolean },
): ServiceDependencies['route'] {
  if (Object.keys(routes).length === 0) return undefined;
  const webhook = oncePerKey((name) => cachedSecret(clients.secrets, name));
  return (keys) => {
    const destination = keys.map((key) => routes[key]).find((found) => found !== undefined);
    if (!destination) return null;
    return {
      ...(destination.topicArn ? { sns: { client: clients.sns, topicArn: destination.topicArn, amazonQ: clients.amazonQ } } : {}),
      ...(destination.slackWebhookSecretName ? { slackWebhook: webhook(destination.slackWebhookSecretName) } : {}),
    };
  };
}
