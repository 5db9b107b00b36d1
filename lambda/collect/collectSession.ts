/**
 * An assumed-role session's own policies and tags, recovered from the AssumeRole record that created it:
 * CloudTrail LookupEvents around the session's creation time, matched on the session ARN and access key.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { Caller } from '../request';
import type { AccountSnapshot, NamedPolicy } from '../snapshot';
import type { RateLimiter } from './RateLimiter';
import type { Reading } from './Reading';
import { findRecords } from './findRecords';

interface AssumeRoleRecord {
  requestParameters?: { policy?: string; policyArns?: { arn?: string }[]; tags?: { key?: string; value?: string }[] };
  responseElements?: { assumedRoleUser?: { arn?: string }; credentials?: { accessKeyId?: string } };
}

function matches(record: AssumeRoleRecord, caller: Caller): boolean {
  const issued = record.responseElements;
  if (issued?.assumedRoleUser?.arn !== caller.sessionArn) return false;
  return !caller.accessKeyId || !issued?.credentials?.accessKeyId || issued.credentials.accessKeyId === caller.accessKeyId;
}

async function findAssumeRole(cloudtrail: CloudTrailClient, caller: Caller, limiter: RateLimiter): Promise<AssumeRoleRecord | null> {
  const around = Date.parse(caller.sessionCreatedAt ?? '');
  const [record] = await findRecords<AssumeRoleRecord>(cloudtrail, limiter, { eventName: 'AssumeRole', around, maxPages: 3 }, (r) =>
    matches(r, caller),
  );
  return record ?? null;
}

/** @example await collectSession(cloudtrail, caller, reading, limiter) */
export async function collectSession(
  cloudtrail: CloudTrailClient,
  caller: Caller,
  reading: Reading,
  limiter: RateLimiter,
): Promise<AccountSnapshot['session']> {
  if (caller.type !== 'AssumedRole' || !caller.sessionArn) return null;
  if (!caller.sessionCreatedAt || Number.isNaN(Date.parse(caller.sessionCreatedAt))) {
    reading.markUnseen('session-policy', 'the record does not say when the session was created');
    return null;
  }
  const record = await reading.attempt('session-policy', 'cloudtrail:LookupEvents', `${caller.sessionArn}|${caller.sessionCreatedAt}`, () =>
    findAssumeRole(cloudtrail, caller, limiter),
  );
  if (record === undefined) return null;
  if (record === null) {
    reading.markUnseen(
      'session-policy',
      `no AssumeRole record for ${caller.sessionArn} within 5 minutes of ${caller.sessionCreatedAt} in this region`,
    );
    return null;
  }
  const policies: NamedPolicy[] = [];
  const inline = record.requestParameters?.policy;
  const document = inline ? reading.document('session-policy', 'the session policy', inline, false) : null;
  if (document) policies.push({ name: 'inline session policy', document });
  const managed = (record.requestParameters?.policyArns ?? []).flatMap((p) => (p.arn ? [p.arn] : []));
  if (managed.length > 0) reading.markUnseen('session-policy', `managed session policies are not collected: ${managed.join(', ')}`);
  const tags = Object.fromEntries((record.requestParameters?.tags ?? []).flatMap((t) => (t.key ? [[t.key, t.value ?? '']] : [])));
  return { policies, tags, source: 'AssumeRole record in CloudTrail' };
}
