/**
 * CloudTrail records of one event name within five minutes of a moment, read page by page (each page
 * waits for the LookupEvents rate limit) until `wanted` finds what it looks for or the pages run out.
 * LookupEvents sees management events only: KMS and STS calls, never S3 data events.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 */
import { type CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { CallBudget } from './RateLimiter';

const WINDOW_MS = 5 * 60 * 1000;

export async function findRecords<T>(
  cloudtrail: CloudTrailClient,
  limiter: CallBudget,
  query: { eventName: string; around: number; maxPages: number },
  wanted: (record: T) => boolean,
): Promise<T[]> {
  const found: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < query.maxPages; page += 1) {
    await limiter.take();
    const output = await cloudtrail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: query.eventName }],
        StartTime: new Date(query.around - WINDOW_MS),
        EndTime: new Date(query.around + WINDOW_MS),
        MaxResults: 50,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const event of output.Events ?? []) {
      const record = JSON.parse(event.CloudTrailEvent ?? '{}') as T;
      if (wanted(record)) found.push(record);
    }
    token = output.NextToken;
    if (!token || found.length > 0) return found;
  }
  return found;
}
