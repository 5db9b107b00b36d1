/**
 * A session's own policies (inline, and the managed ones it names) and tags, recovered from the STS record that created it (AssumeRole and its
 * web-identity and SAML forms for a role session, GetFederationToken for a federated user): CloudTrail
 * LookupEvents around the session's creation time, matched on the session ARN and access key. A session
 * from a regional STS endpoint is logged in that region, one from the global endpoint in the partition's
 * home region: both are searched, the regional one where the caller made the denied call (SDKs use the
 * configured region's STS endpoint) first.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { IAMClient } from '@aws-sdk/client-iam';
import { managedPolicy } from './managedPolicy';
import { MalformedDocumentError } from './policyDocument';
import type { AwsClients } from './awsClients';
import type { Caller } from '../model/request';
import type { AccountSnapshot, NamedPolicy } from '../model/snapshot';
import type { CallBudget } from './RateLimiter';
import type { Reading } from './Reading';
import { findRecords } from './findRecords';
import { globalStsRegionOf } from './globalStsRegion';

const CREATING_CALLS: Partial<Record<Caller['type'], string[]>> = {
  AssumedRole: ['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML'],
  FederatedUser: ['GetFederationToken'],
};

/**
 * The calls to look for, the likeliest first: each is a LookupEvents of its own, out of the account's two a
 * second. IAM Identity Center's permission-set roles (`AWSReservedSSO_…`, under `/aws-reserved/sso.amazonaws.com/`)
 * are entered through its SAML federation, so that record is looked for first; the order changes what is spent,
 * never what is found.
 */
function creatingCalls(caller: Caller): string[] | undefined {
  const calls = CREATING_CALLS[caller.type];
  if (!calls || !caller.arn?.includes(':role/aws-reserved/sso.amazonaws.com/')) return calls;
  return ['AssumeRoleWithSAML', ...calls.filter((call) => call !== 'AssumeRoleWithSAML')];
}

interface AssumeRoleRecord {
  requestParameters?: { policy?: string; policyArns?: { arn?: string }[]; tags?: { key?: string; value?: string }[] };
  responseElements?: {
    assumedRoleUser?: { arn?: string };
    federatedUser?: { arn?: string };
    credentials?: { accessKeyId?: string };
  };
}

function matches(record: AssumeRoleRecord, caller: Caller): boolean {
  const issued = record.responseElements;
  if ((issued?.assumedRoleUser?.arn ?? issued?.federatedUser?.arn) !== caller.sessionArn) return false;
  return !caller.accessKeyId || !issued?.credentials?.accessKeyId || issued.credentials.accessKeyId === caller.accessKeyId;
}

/** A region's event history, and that region's LookupEvents budget. */
interface Trail {
  cloudtrail: CloudTrailClient;
  budget: CallBudget;
}

async function findCreatingRecord(trails: Trail[], eventNames: string[], caller: Caller): Promise<AssumeRoleRecord | null> {
  const around = Date.parse(caller.sessionCreatedAt ?? '');
  for (const { cloudtrail, budget } of trails) {
    for (const eventName of eventNames) {
      const [record] = await findRecords<AssumeRoleRecord>(cloudtrail, budget, { eventName, around, maxPages: 3 }, (r) =>
        matches(r, caller),
      );
      if (record) return record;
    }
  }
  return null;
}

/**
 * The managed policies passed as session policies (`PolicyArns`), read as any managed policy is: the caller's
 * account's own or AWS's. One that cannot be read leaves the session policy unseen, named.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
 */
async function managedSessionPolicies(iam: IAMClient, record: AssumeRoleRecord, reading: Reading): Promise<NamedPolicy[]> {
  const arns = [...new Set((record.requestParameters?.policyArns ?? []).flatMap((p) => (p.arn ? [p.arn] : [])))];
  const read = await Promise.all(
    arns.map((arn) =>
      managedPolicy(iam, reading, arn, 'session-policy').catch((error: unknown) => {
        if (!(error instanceof MalformedDocumentError)) throw error;
        return undefined;
      }),
    ),
  );
  const unread = arns.filter((_, i) => read[i] === undefined);
  if (unread.length > 0) reading.markUnseen('session-policy', `managed session policies could not be read: ${unread.join(', ')}`);
  return read.filter((policy): policy is NamedPolicy => policy !== undefined);
}

/**
 * @param budgetIn the caller's account's LookupEvents budget in a region
 * @example await collectSession(clients, caller, request.region, reading, (region) => budgets(caller.accountId, region))
 */
export async function collectSession(
  clients: Pick<AwsClients, 'cloudtrail' | 'iam'>,
  caller: Caller,
  region: string,
  reading: Reading,
  budgetIn: (region: string) => CallBudget,
): Promise<AccountSnapshot['session']> {
  const eventNames = creatingCalls(caller);
  if (!eventNames || !caller.sessionArn) return null;
  if (!caller.sessionCreatedAt || Number.isNaN(Date.parse(caller.sessionCreatedAt))) {
    reading.markUnseen('session-policy', 'the record does not say when the session was created');
    return null;
  }
  const globalRegion = globalStsRegionOf(region);
  const trails = [...new Set([region, globalRegion])].map((r) => ({ cloudtrail: clients.cloudtrail(r), budget: budgetIn(r) }));
  const record = await reading.attempt('session-policy', 'cloudtrail:LookupEvents', `${caller.sessionArn}|${caller.sessionCreatedAt}`, () =>
    findCreatingRecord(trails, eventNames, caller),
  );
  if (record === undefined) return null;
  if (record === null) {
    reading.markUnseen(
      'session-policy',
      `no ${eventNames.join('/')} record for ${caller.sessionArn} within 5 minutes of ${caller.sessionCreatedAt} in ${[...new Set([region, globalRegion])].join(' or ')}`,
    );
    return null;
  }
  const policies: NamedPolicy[] = [];
  const inline = record.requestParameters?.policy;
  const document = inline ? reading.document('session-policy', 'the session policy', inline, false) : null;
  if (document) policies.push({ name: 'inline session policy', document });
  policies.push(...(await managedSessionPolicies(clients.iam, record, reading)));
  const tags = Object.fromEntries((record.requestParameters?.tags ?? []).flatMap((t) => (t.key ? [[t.key, t.value ?? '']] : [])));
  return { policies, tags, source: 'the STS record that created the session, in CloudTrail' };
}
