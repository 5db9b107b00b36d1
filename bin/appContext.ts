/** cdk.json context (strings, as `-c key=value` gives them) → the construct's props, checked. */
import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { CloudTrailTableProps } from '../lib/CloudTrailTable';
import type { RemediationProps } from '../lib/RemediationApproval';
import type { TrailBuckets, WhyDeniedProps } from '../lib/WhyDenied';
import { listFromSetting } from '../lambda/settings/listFromSetting';
import { type AlertDestination, isRouteKey } from '../lambda/settings/alertRoutes';
import { ORGANIZATION_ID } from '../lambda/settings/organizationIds';

type Context = (key: string) => string | undefined;

/** The read-only role's name in other accounts, when none is given. */
export const DEFAULT_READ_ROLE_NAME = 'WhyDeniedReadOnly';

/** S3's bucket naming rules, so a typo is refused at synth instead of deploying a rule that matches nothing. */
const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** A list of bucket names; one that S3 would never accept is refused by name. */
export function bucketNames(key: string, value: string | undefined): string[] {
  const names = listFromSetting(value);
  const bad = names.filter((name) => !BUCKET_NAME.test(name));
  if (bad.length > 0) throw new Error(`context ${key}: ${bad.map((b) => JSON.stringify(b)).join(', ')} is not an S3 bucket name`);
  return names;
}

function trailBuckets(value: string | undefined): TrailBuckets {
  if (!value || value === 'all') return { kind: 'all' };
  if (value === 'none') return { kind: 'none' };
  return { kind: 'some', bucketNames: bucketNames('trailBuckets', value) };
}

/**
 * One reading of a yes/no setting for every key: `true`/`false` in any case (and `yes`/`no`, `1`/`0`);
 * anything else is refused by name. `publishToSns=False` turned SNS off in one place and left it on in
 * another when each key had its own test.
 */
function flag(context: Context, key: string, fallback: boolean): boolean {
  const value = context(key);
  if (value === undefined || value === '') return fallback;
  const word = String(value).trim().toLowerCase();
  if (['true', 'yes', '1'].includes(word)) return true;
  if (['false', 'no', '0'].includes(word)) return false;
  throw new Error(`context ${key} must be true or false, not ${JSON.stringify(value)}`);
}

function wholeNumber(context: Context, key: string): number | undefined {
  const value = context(key);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number)) throw new Error(`context ${key} must be a whole number, not ${JSON.stringify(value)}`);
  return number;
}

/** `bucket=account,bucket=account` → a map; anything else is refused with the key's name. */
function bucketOwners(value: string | undefined): Record<string, string> | undefined {
  if (!value) return undefined;
  const owners: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of listFromSetting(value)) {
    const [bucket, owner] = pair.split('=');
    if (!bucket || !owner || !/^\d{12}$/.test(owner))
      throw new Error(`context bucketOwners: ${JSON.stringify(pair)} is not bucket=<12-digit account>`);
    owners[bucket] = owner;
  }
  return owners;
}

function retention(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!allowed.includes(days)) throw new Error(`context logRetentionDays must be one of CloudWatch Logs' periods: ${allowed.join(', ')}`);
  return days as logs.RetentionDays;
}

/** `-c remediation=approve` and its settings; anything but approve or off is refused by name. */
function remediation(context: Context): RemediationProps | undefined {
  const mode = context('remediation') ?? 'off';
  if (mode === 'off') return undefined;
  if (mode !== 'approve') throw new Error(`context remediation must be approve or off, not ${JSON.stringify(mode)}`);
  const signingSecret = context('slackSigningSecretName');
  if (!signingSecret) throw new Error('context remediation=approve needs slackSigningSecretName (the Slack app signing secret)');
  const planMaxAgeHours = wholeNumber(context, 'remediationPlanMaxAgeHours');
  return {
    approverSlackUserIds: listFromSetting(context('remediationApprovers')),
    slackSigningSecretName: signingSecret,
    targets: {
      bucketNames: bucketNames('remediationBuckets', context('remediationBuckets')),
      roleNames: listFromSetting(context('remediationRoles')),
      userNames: listFromSetting(context('remediationUsers')),
      keyArns: listFromSetting(context('remediationKeys')),
    },
    allowKeyPolicies: flag(context, 'remediationKeyPolicies', false),
    secondApprover: flag(context, 'remediationSecondApprover', false),
    ...(planMaxAgeHours !== undefined ? { planMaxAgeHours } : {}),
    ...(context('slackTeamId') ? { slackTeamId: context('slackTeamId') } : {}),
    ...(context('slackEnterpriseId') ? { slackEnterpriseId: context('slackEnterpriseId') } : {}),
    ...(context('slackAppId') ? { slackAppId: context('slackAppId') } : {}),
    ...(context('slackChannelId') ? { slackChannelId: context('slackChannelId') } : {}),
  };
}

/**
 * `key=target,…`: an account (`111122223333`), OU (`ou-…`) or root (`r-…`) → an SNS topic ARN or a Slack
 * webhook secret name; a key may be given twice, once for each.
 */
function alertRoutes(value: string | undefined): Record<string, AlertDestination> | undefined {
  if (!value) return undefined;
  const routes: Record<string, AlertDestination> = Object.create(null) as Record<string, AlertDestination>;
  for (const pair of listFromSetting(value)) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim();
    const target = pair.slice(at + 1).trim();
    if (at < 1 || !isRouteKey(key) || !target)
      throw new Error(
        `context alertRoutes: ${JSON.stringify(pair)} is not <account, ou-… or r-…>=<topic ARN or Slack webhook secret name>`,
      );
    routes[key] = { ...routes[key], ...(target.startsWith('arn:') ? { topicArn: target } : { slackWebhookSecretName: target }) };
  }
  return routes;
}

export function whyDeniedPropsFrom(context: Context): WhyDeniedProps {
  const remediationProps = remediation(context);
  const suppressionMinutes = wholeNumber(context, 'suppressionWindowMinutes');
  const maxConcurrency = wholeNumber(context, 'maxConcurrency');
  const logRetentionDays = wholeNumber(context, 'logRetentionDays');
  const crossAccountIds = listFromSetting(context('crossAccountIds'));
  const owners = bucketOwners(context('bucketOwners'));
  const routes = alertRoutes(context('alertRoutes'));
  return {
    trailBuckets: trailBuckets(context('trailBuckets')),
    publishToSns: flag(context, 'publishToSns', true),
    ...(flag(context, 'amazonQNotifications', false) ? { amazonQNotifications: true } : {}),
    ...(context('slackWebhookSecretName') ? { slackWebhookSecretName: context('slackWebhookSecretName') } : {}),
    // An organization's members all get the read-only role: its name has a default there.
    ...(context('crossAccountRoleName') || context('organizationId')
      ? { crossAccountRoleName: context('crossAccountRoleName') ?? DEFAULT_READ_ROLE_NAME }
      : {}),
    ...(context('organizationId') ? { organizationId: context('organizationId') } : {}),
    ...(context('crossAccountExternalId') ? { crossAccountExternalId: context('crossAccountExternalId') } : {}),
    ...(crossAccountIds.length > 0 ? { crossAccountIds } : {}),
    ...(owners ? { bucketOwners: owners } : {}),
    ...(routes ? { alertRoutes: routes } : {}),
    ...(suppressionMinutes !== undefined ? { suppressionWindow: Duration.minutes(suppressionMinutes) } : {}),
    ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
    ...(logRetentionDays !== undefined ? { logRetention: retention(logRetentionDays) } : {}),
    ...(context('diagnoserRoleName') ? { diagnoserRoleName: context('diagnoserRoleName') } : {}),
    ...(remediationProps ? { remediation: remediationProps } : {}),
  };
}

/**
 * `-c athenaTrailBucket=<bucket>` and its companions → the Glue table for `replay --athena`, or undefined.
 * The accounts are required (a projected partition lists its values); the regions default to the app's.
 */
export function athenaTableFrom(context: Context, appRegions: string[]): CloudTrailTableProps | undefined {
  const bucket = context('athenaTrailBucket');
  if (!bucket) return undefined;
  bucketNames('athenaTrailBucket', bucket);
  const accounts = listFromSetting(context('athenaAccounts'));
  const bad = accounts.filter((a) => !/^\d{12}$/.test(a));
  if (accounts.length === 0 || bad.length > 0)
    throw new Error('context athenaAccounts: the comma-separated 12-digit accounts whose logs the table reads');
  const organizationId = context('athenaOrganizationId');
  if (organizationId && !ORGANIZATION_ID.test(organizationId))
    throw new Error(`context athenaOrganizationId: ${JSON.stringify(organizationId)} is not an organization id (o-…)`);
  const regions = listFromSetting(context('athenaRegions'));
  const chosen = regions.length > 0 ? regions : [...new Set(appRegions)];
  if (chosen.length === 0) throw new Error('context athenaRegions: the regions whose logs the table reads (or set a home region)');
  return {
    bucketName: bucket,
    ...(organizationId ? { organizationId } : {}),
    accounts,
    regions: chosen,
    startDate: context('athenaStartDate') ?? '2024/01/01',
    databaseName: context('athenaDatabase') ?? 'why_denied',
    tableName: context('athenaTable') ?? 'cloudtrail',
  };
}
