/**
 * One denied request through the service: collect → diagnose → suppress duplicates → publish. Delivery
 * failures propagate so the SQS record is retried and finally dead-lettered; nothing is dropped silently.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SNSClient } from '@aws-sdk/client-sns';
import { diagnose } from '../diagnose';
import type { Diagnosis } from '../diagnosis';
import { fingerprint } from '../fingerprint';
import { postToSlack } from '../notify/postToSlack';
import { publishToSns } from '../notify/publishToSns';
import { slackPayload } from '../notify/slackPayload';
import { snsPublishInput } from '../notify/snsMessage';
import type { DeniedRequest } from '../request';
import type { AccountSnapshot } from '../snapshot';
import type { AlertSuppressor, Repeats } from '../suppress/AlertSuppressor';

export interface ServiceDependencies {
  collect: (request: DeniedRequest) => Promise<AccountSnapshot>;
  suppressor: AlertSuppressor;
  sns: { client: SNSClient; topicArn: string } | null;
  /** Resolves the webhook URL (cached by the caller); null when Slack is not configured. */
  slackWebhook: (() => Promise<string>) | null;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
}

function count(metrics: Metrics, name: string, dimensions: Record<string, string> = {}): void {
  const metric = metrics.singleMetric();
  for (const [key, value] of Object.entries(dimensions)) metric.addDimension(key, value);
  metric.addMetric(name, MetricUnit.Count, 1);
}

async function publish(diagnosis: Diagnosis, repeats: Repeats | null, deps: ServiceDependencies): Promise<void> {
  const deliveries: Promise<unknown>[] = [];
  if (deps.sns)
    deliveries.push(
      publishToSns(deps.sns.client, { ...snsPublishInput(diagnosis, deps.sns.topicArn, repeats), TopicArn: deps.sns.topicArn }),
    );
  if (deps.slackWebhook) deliveries.push(deps.slackWebhook().then((url) => postToSlack(url, slackPayload(diagnosis, repeats))));
  const results = await Promise.allSettled(deliveries);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    count(deps.metrics, 'PublishFailures');
    throw failed[0]?.reason;
  }
}

export async function processRequest(request: DeniedRequest, deps: ServiceDependencies): Promise<Diagnosis> {
  const snapshot = await deps.collect(request);
  const diagnosis = diagnose(request, snapshot);
  const first = diagnosis.decidingLayers[0];
  deps.logger.info('diagnosed', {
    eventId: request.event.id,
    principal: diagnosis.request.principalArn,
    bucket: request.bucket,
    verdict: diagnosis.verdict,
    layer: first?.layer,
    confidence: diagnosis.confidence,
  });
  count(deps.metrics, 'Diagnoses', { verdict: diagnosis.verdict, layer: first?.layer ?? 'none' });
  for (const unseen of diagnosis.notVisible) count(deps.metrics, 'UnseenLayers', { layer: unseen.layer });
  const decision = await deps.suppressor.check(fingerprint(diagnosis), deps.now());
  if (!decision.publish) {
    count(deps.metrics, 'Suppressed');
    return diagnosis;
  }
  try {
    await publish(diagnosis, decision.repeats, deps);
  } catch (error) {
    // Without this the retry would find the window claimed and stay silent: the alert would be lost.
    await deps.suppressor.release(decision.claim);
    throw error;
  }
  return diagnosis;
}
