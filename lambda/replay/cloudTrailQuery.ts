/**
 * The one Athena query `replay --athena` runs: the failed S3 uploads and KMS calls an upload needs (and the
 * calls VPC endpoints refused), over a CloudTrail table partitioned by account, region and day as
 * CloudTrailTable (lib/) or the Athena guide's partition projection creates it. The partition columns come
 * first in the WHERE clause, so Athena reads only the days (and accounts) asked for. Each selected column
 * is one field of the record, in the order `recordFromRow` reads them. The calls in scope are the ones
 * `isCandidate` passes (the KMS ones as `isKmsEventInScope` names them).
 * https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html
 * https://docs.aws.amazon.com/athena/latest/ug/cloudtrail-logs.html
 */
import { S3_WRITE_EVENTS } from '../events/cloudTrailRecord';
import { DENIAL_ERROR_CODES, S3_KMS_ERROR_PREFIX } from '../events/denialErrorCodes';

export interface CloudTrailQuery {
  database: string;
  table: string;
  /** ISO 8601 times; the query reads the days between them, the records are cut to the exact times. */
  since: string;
  until: string;
  /** Only these accounts' partitions (an organization trail's table); every account when empty. */
  accounts: readonly string[];
}

/** The record fields, as `useridentity.arn` → `userIdentity.arn`, in the order they are selected. */
export const SELECTED_FIELDS = [
  ['eventversion', 'eventVersion'],
  ['useridentity.type', 'userIdentity.type'],
  ['useridentity.principalid', 'userIdentity.principalId'],
  ['useridentity.arn', 'userIdentity.arn'],
  ['useridentity.accountid', 'userIdentity.accountId'],
  ['useridentity.accesskeyid', 'userIdentity.accessKeyId'],
  ['useridentity.username', 'userIdentity.userName'],
  ['useridentity.invokedby', 'userIdentity.invokedBy'],
  ['useridentity.sessioncontext.attributes.mfaauthenticated', 'userIdentity.sessionContext.attributes.mfaAuthenticated'],
  ['useridentity.sessioncontext.attributes.creationdate', 'userIdentity.sessionContext.attributes.creationDate'],
  ['useridentity.sessioncontext.sessionissuer.type', 'userIdentity.sessionContext.sessionIssuer.type'],
  ['useridentity.sessioncontext.sessionissuer.principalid', 'userIdentity.sessionContext.sessionIssuer.principalId'],
  ['useridentity.sessioncontext.sessionissuer.arn', 'userIdentity.sessionContext.sessionIssuer.arn'],
  ['useridentity.sessioncontext.sessionissuer.accountid', 'userIdentity.sessionContext.sessionIssuer.accountId'],
  ['useridentity.sessioncontext.sessionissuer.username', 'userIdentity.sessionContext.sessionIssuer.userName'],
  ['eventtime', 'eventTime'],
  ['eventsource', 'eventSource'],
  ['eventname', 'eventName'],
  ['awsregion', 'awsRegion'],
  ['sourceipaddress', 'sourceIPAddress'],
  ['useragent', 'userAgent'],
  ['errorcode', 'errorCode'],
  ['errormessage', 'errorMessage'],
  ['requestparameters', 'requestParameters'],
  ['additionaleventdata', 'additionalEventData'],
  ['requestid', 'requestID'],
  ['eventid', 'eventID'],
  ['eventtype', 'eventType'],
  ['recipientaccountid', 'recipientAccountId'],
  ['sharedeventid', 'sharedEventID'],
  ['vpcendpointid', 'vpcEndpointId'],
  ['eventcategory', 'eventCategory'],
  ['tlsdetails.tlsversion', 'tlsDetails.tlsVersion'],
  ['tlsdetails.ciphersuite', 'tlsDetails.cipherSuite'],
] as const;

/** `resources` is an array of rows: each of its fields comes back as one space-separated list (ARNs hold no spaces). */
export const RESOURCE_FIELDS = ['arn', 'type', 'accountid'] as const;

const NAME = /^[A-Za-z0-9_]{1,255}$/;
const ACCOUNT = /^\d{12}$/;

const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;

export class QueryInputError extends Error {
  override name = 'QueryInputError';
}

/** `2026-11-20T09:15:02Z` → `2026/11/20`, the projected partition's own format. */
function dayOf(iso: string): string {
  return iso.slice(0, 10).replaceAll('-', '/');
}

function checked(query: CloudTrailQuery): CloudTrailQuery {
  for (const [what, value] of [
    ['database', query.database],
    ['table', query.table],
  ] as const)
    if (!NAME.test(value)) throw new QueryInputError(`${what} ${JSON.stringify(value)}: letters, digits and _ only`);
  for (const account of query.accounts)
    if (!ACCOUNT.test(account)) throw new QueryInputError(`account ${JSON.stringify(account)}: 12 digits`);
  for (const time of [query.since, query.until])
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(time))
      throw new QueryInputError(`${JSON.stringify(time)}: expected YYYY-MM-DDTHH:MM:SSZ`);
  if (query.since >= query.until) throw new QueryInputError(`--since ${query.since} is not before --until ${query.until}`);
  return query;
}

/** @example cloudTrailQuery({ database: 'security', table: 'org_trail', since: '2026-11-01T00:00:00Z', until: '2026-12-01T00:00:00Z', accounts: [] }) */
export function cloudTrailQuery(input: CloudTrailQuery): string {
  const query = checked(input);
  const columns = [
    ...SELECTED_FIELDS.map(([column]) => column),
    ...RESOURCE_FIELDS.map((field) => `array_join(transform(resources, r -> coalesce(r.${field}, '-')), ' ')`),
  ];
  const s3Writes = [...S3_WRITE_EVENTS].map(quoted).join(', ');
  const where = [
    `"timestamp" BETWEEN ${quoted(dayOf(query.since))} AND ${quoted(dayOf(query.until))}`,
    ...(query.accounts.length > 0 ? [`account IN (${query.accounts.map(quoted).join(', ')})`] : []),
    `eventtime >= ${quoted(query.since)} AND eventtime < ${quoted(query.until)}`,
    `(errorcode IN (${DENIAL_ERROR_CODES.map(quoted).join(', ')}) OR errorcode LIKE ${quoted(`${S3_KMS_ERROR_PREFIX}%`)})`,
    `((eventsource = 's3.amazonaws.com' AND eventname IN (${s3Writes})) OR (eventsource = 'kms.amazonaws.com' AND (eventname IN ('Encrypt', 'Decrypt') OR eventname LIKE 'GenerateDataKey%')))`,
  ];
  return [
    `SELECT ${columns.join(',\n       ')}`,
    `FROM "${query.database}"."${query.table}"`,
    `WHERE ${where.join('\n  AND ')}`,
    'ORDER BY eventtime',
  ].join('\n');
}
