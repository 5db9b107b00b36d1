/**
 * The account snapshot for one denied request, read-only and only what the request needs. Layers in
 * accounts that cannot be reached, or whose reads fail, are listed in `unseen` with the reason.
 */
import { principalKindOf } from '../events/principalKind';
import { accountOfArn } from '../model/accountOfArn';
import { regionOfArn } from '../model/regionOfArn';
import type { DeniedRequest } from '../model/request';
import { VPC_ENDPOINT_DENIAL } from '../events/denialErrorCodes';
import { refusedAtEndpointUnseen } from '../events/refusedAtEndpoint';
import { uploadKeyReference } from '../model/uploadKey';
import {
  type AccountSnapshot,
  type BucketSnapshot,
  type KmsKeySnapshot,
  type OrganizationSnapshot,
  UNKNOWN_ACCOUNT,
  type VpcEndpointSnapshot,
} from '../model/snapshot';
import type { AwsClients } from './awsClients';
import { collectBucket } from './collectBucket';
import { collectKmsEvidence, needsKmsEvidence } from './collectKmsEvidence';
import { collectKmsKey } from './collectKmsKey';
import { type AccountRcpLevels, collectOrganization, collectRcpLevelsOf } from './collectOrganization';
import { collectPrincipal } from './collectPrincipal';
import { collectSession } from './collectSession';
import { collectVpcEndpoint } from './collectVpcEndpoint';
import type { CallBudget } from './RateLimiter';
import { Reading } from './Reading';
import type { OrganizationReading, SharedOrganizationStore } from './SharedOrganization';
import type { TtlCache } from './TtlCache';

export interface CollectorDeps {
  homeAccountId: string;
  /** Owners of buckets in other accounts, by bucket name, as configured (`bucketOwners`). */
  bucketOwners?: Readonly<Record<string, string>>;
  /** The region the clients read in. */
  region: string;
  /** The organization as another container read it, when shared. */
  sharedOrganization?: SharedOrganizationStore;
  clientsFor: (accountId: string) => AwsClients | null;
  cache: TtlCache;
  /** The LookupEvents budget of an account in a region: each has its own 2 calls a second. */
  lookupBudget: (accountId: string, region: string) => CallBudget;
  now: () => Date;
}

export interface Collected {
  snapshot: AccountSnapshot;
  /** AWS calls this snapshot cost (cache hits excluded). */
  calls: number;
}

function unreachable(reading: Reading, accountId: string, layers: string[]): void {
  for (const layer of layers)
    reading.markUnseen(layer, `account ${accountId} is not this deployment's and no read-only role is configured for it`);
}

const BUCKET_LAYERS = ['bucket-policy', 'bucket-acl', 'object-ownership', 'block-public-access'];

/** The key the request used, and the RCPs above its account when that is not the account the organization was read for. */
interface KeyRead {
  key: KmsKeySnapshot | null;
  rcpLevels: AccountRcpLevels | undefined;
}

const NO_KEY: KeyRead = { key: null, rcpLevels: undefined };

/** The organization as read, and the key's account among its members once its walk found it there. */
function withKeyAccount(organization: OrganizationSnapshot | null, { key, rcpLevels }: KeyRead): OrganizationSnapshot | null {
  if (!organization || !key || !rcpLevels?.member || organization.memberAccountIds?.includes(key.accountId)) return organization;
  return { ...organization, memberAccountIds: [...(organization.memberAccountIds ?? []), key.accountId] };
}

/**
 * Who owns the bucket. The caller's copy of a cross-account record hides the owner, so the record is
 * believed only when it names one; then the configured map; else the caller's account is a guess, to be
 * confirmed by reading the bucket with `ExpectedBucketOwner` (S3 refuses when the owner differs).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
 */
function bucketOwnerOf(request: DeniedRequest, deps: CollectorDeps): { accountId: string; confirmed: boolean } {
  const fromRecord = request.context['s3:ResourceAccount'];
  if (typeof fromRecord === 'string' && fromRecord) return { accountId: fromRecord, confirmed: true };
  const configured = request.bucket ? deps.bucketOwners?.[request.bucket] : undefined;
  if (configured) return { accountId: configured, confirmed: true };
  // An anonymous or service caller has no account of its own to lend the bucket: S3 delivers its record to
  // the bucket owner alone, so the account the record was delivered to owns the bucket.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html
  const kind = principalKindOf(request.caller);
  if ((kind === 'anonymous' || kind === 'service') && request.recipientAccountId)
    return { accountId: request.recipientAccountId, confirmed: true };
  return { accountId: request.caller.accountId, confirmed: false };
}

/**
 * The organization as this container last read it, else from the shared copy, else from Organizations (then
 * shared). Only a complete reading, or one refused outright, is kept or shared: a throttled one is worth
 * trying again. A warm container asks nobody: not Organizations, not the shared table.
 */
async function organizationOf(
  home: AwsClients,
  accounts: { callerAccount: string; resourceAccount: string },
  reading: Reading,
  deps: CollectorDeps,
): Promise<OrganizationSnapshot | null | undefined> {
  const key = `${accounts.callerAccount}|${accounts.resourceAccount}`;
  const memoKey = organizationMemoKey(accounts);
  let readHere = false;
  const known = await deps.cache.get(memoKey, () => {
    readHere = true;
    return readOrganization(home, accounts, key, deps);
  });
  if (!known.keep) deps.cache.forget(memoKey);
  // The calls are this snapshot's cost only when it made them; a kept reading is free.
  if (readHere) reading.calls += known.calls;
  for (const unseen of known.unseen) reading.markUnseen(unseen.layer, unseen.reason);
  return known.organization;
}

async function readOrganization(
  home: AwsClients,
  accounts: { callerAccount: string; resourceAccount: string },
  key: string,
  deps: CollectorDeps,
): Promise<OrganizationReading & { keep: boolean; calls: number }> {
  const shared = await deps.sharedOrganization?.get(key);
  if (shared) return { ...shared, keep: true, calls: 0 };
  const reading = new Reading(deps.cache);
  const organization = await collectOrganization(home.organizations, accounts, reading);
  const unseen = reading.unseen.filter((u) => u.layer === 'scp' || u.layer === 'rcp');
  const keep = unseen.length === 0 || [...reading.deniedApis].some((api) => api.startsWith('organizations:'));
  // Shared while the diagnosis goes on: the store keeps the write for the handler to await at the end.
  if (deps.sharedOrganization && keep) void deps.sharedOrganization.put(key, { organization, unseen });
  return { organization, unseen, keep, calls: reading.calls };
}

const organizationMemoKey = (accounts: { callerAccount: string; resourceAccount: string }) =>
  `organization-reading|${accounts.callerAccount}|${accounts.resourceAccount}`;

/**
 * Starts every read a diagnosis of `request` will make while the request is still being looked up, so the
 * diagnosis finds them done or under way. A request that turns out to need no diagnosis (a repeat) costs
 * reads the container keeps for the next one, and at most one LookupEvents slot of the second.
 */
export function readAhead(request: DeniedRequest, deps: CollectorDeps): void {
  collectSnapshot(request, deps, { ahead: true }).catch(() => undefined);
}

/**
 * Whose endpoint a request came through: a refusal is logged in the endpoint owner's account (its
 * recipient), which need not be the caller's; any other record's endpoint is in the caller's VPC.
 */
function endpointOwnerOf(request: DeniedRequest): string {
  return request.event.errorCode === VPC_ENDPOINT_DENIAL && request.recipientAccountId
    ? request.recipientAccountId
    : request.caller.accountId;
}

function readEndpoint(request: DeniedRequest, reading: Reading, deps: CollectorDeps): Promise<VpcEndpointSnapshot | null> {
  const owner = endpointOwnerOf(request);
  const clients = request.vpcEndpointId ? deps.clientsFor(owner) : null;
  if (request.vpcEndpointId && !clients) unreachable(reading, owner, ['vpc-endpoint-policy']);
  return clients && request.vpcEndpointId
    ? clients.ec2(request.region).then((ec2) => collectVpcEndpoint(ec2, request.vpcEndpointId ?? '', reading))
    : Promise.resolve(null);
}

/** The caller as the record names it, when its IAM side was not read. */
function unreadPrincipal(request: DeniedRequest): AccountSnapshot['principal'] {
  return {
    arn: request.caller.arn,
    kind: 'unknown',
    accountId: request.caller.accountId,
    tags: null,
    policies: null,
    permissionsBoundary: null,
  };
}

/**
 * An endpoint's record of a call it refused names no bucket or key: the endpoint's policy is all there is
 * to read, and the only layer that decided.
 */
async function collectEndpointRefusal(request: DeniedRequest, deps: CollectorDeps): Promise<Collected> {
  const reading = new Reading(deps.cache);
  const endpoint = await readEndpoint(request, reading, deps);
  const snapshot: AccountSnapshot = {
    snapshotVersion: 1,
    capturedAt: deps.now().toISOString(),
    principal: unreadPrincipal(request),
    session: null,
    bucket: { name: '', accountId: UNKNOWN_ACCOUNT, region: request.region },
    kmsKeys: [],
    organization: null,
    vpcEndpoints: endpoint ? [endpoint] : [],
    unseen: reading.unseen,
  };
  return { snapshot, calls: reading.calls };
}

/**
 * `ahead`: started while the request is still being looked up, so that the reads worth keeping (every layer,
 * the session's own record) are in the cache when the diagnosis asks for them. The KMS evidence is the one
 * lookup made for this request alone: ahead, only its LookupEvents slot is asked for.
 */
interface Mode {
  ahead: boolean;
}

/** @example const { snapshot } = await collectSnapshot(request, deps) */
export async function collectSnapshot(request: DeniedRequest, deps: CollectorDeps, mode: Mode = { ahead: false }): Promise<Collected> {
  if (refusedAtEndpointUnseen(request)) return collectEndpointRefusal(request, deps);
  const reading = new Reading(deps.cache);
  const callerAccount = request.caller.accountId;
  const owner = bucketOwnerOf(request, deps);
  const bucketAccount = owner.accountId;
  const bucketName = request.bucket ?? '';
  // RCPs bind the request's own resource: the bucket, or the key a KMS record names.
  const organizationAccounts = {
    callerAccount,
    resourceAccount: request.service === 'kms' ? (accountOfArn(request.kmsKeyId ?? '') ?? callerAccount) : bucketAccount,
  };
  const callerClients = deps.clientsFor(callerAccount);
  const bucketClients = deps.clientsFor(bucketAccount);
  const home = deps.clientsFor(deps.homeAccountId);
  if (!callerClients) unreachable(reading, callerAccount, ['identity-policy', 'permissions-boundary', 'session-policy']);
  if (!bucketClients) unreachable(reading, bucketAccount, BUCKET_LAYERS);

  const bucketPromise: Promise<Partial<BucketSnapshot> & Pick<BucketSnapshot, 'name' | 'accountId'>> = bucketClients
    ? collectBucket(
        bucketClients.s3,
        bucketClients.s3control,
        {
          name: bucketName,
          accountId: bucketAccount,
          region: request.region,
          needsPublicAccessBlock: request.sentAclHeaders || callerAccount !== bucketAccount,
        },
        reading,
      )
    : Promise.resolve({ name: bucketName, accountId: bucketAccount, region: request.region });
  const readKey = (keyReference: string | null): Promise<KeyRead> => {
    if (!keyReference) return Promise.resolve(NO_KEY);
    const keyAccount = accountOfArn(keyReference) ?? bucketAccount;
    const keyClients = deps.clientsFor(keyAccount);
    if (!keyClients) {
      unreachable(reading, keyAccount, ['kms-key-policy', 'kms-grant']);
      return Promise.resolve(NO_KEY);
    }
    // SSE-KMS keys live in the bucket's region; a KMS record's key in the record's.
    const keyRegion = regionOfArn(keyReference) ?? request.region;
    const read = collectKmsKey(keyClients.kms(keyRegion), { reference: keyReference, account: keyAccount, region: keyRegion }, reading);
    // A key kept in another account answers to the RCPs above that account, read beside the key itself.
    const rcp =
      home && keyAccount !== organizationAccounts.resourceAccount
        ? collectRcpLevelsOf(home.organizations, keyAccount, reading)
        : Promise.resolve(undefined);
    return Promise.all([read, rcp]).then(([key, rcpLevels]) => ({ key, rcpLevels }));
  };
  // A key the request names (or an SSE-KMS header without one: the AWS managed key) is read beside the
  // bucket; an upload that leaves encryption to the bucket's default waits for the bucket to name it, and
  // for nothing else. The KMS evidence waits for the bucket too: only an SSE-KMS upload has any.
  const keyPromise =
    request.service === 'kms' || request.headers['x-amz-server-side-encryption'] !== undefined
      ? readKey(uploadKeyReference(request, null))
      : bucketPromise.then((bucket) => readKey(uploadKeyReference(request, bucket.defaultEncryption)));
  const evidencePromise = bucketPromise.then((bucket) => {
    if (!callerClients || !needsKmsEvidence(request, bucket)) return [];
    if (mode.ahead) {
      deps.lookupBudget(callerAccount, request.region).reserve?.();
      return [];
    }
    return collectKmsEvidence(callerClients.cloudtrail(request.region), request, reading, deps.lookupBudget(callerAccount, request.region));
  });
  const [principal, session, organization, endpoint, bucket, key, evidence] = await Promise.all([
    callerClients ? collectPrincipal(callerClients.iam, request.caller, reading) : Promise.resolve(null),
    callerClients
      ? collectSession(callerClients, request.caller, request.region, reading, (region) => deps.lookupBudget(callerAccount, region))
      : Promise.resolve(null),
    home ? organizationOf(home, organizationAccounts, reading, deps) : Promise.resolve(undefined),
    readEndpoint(request, reading, deps),
    bucketPromise,
    keyPromise,
    evidencePromise,
  ]);
  if (!owner.confirmed && reading.deniedApis.has('s3:GetBucketPolicy')) {
    // Not readable as the caller's own: most likely another account's bucket. Never evaluate it as same-account.
    bucket.accountId = UNKNOWN_ACCOUNT;
    const why = `the bucket's owner is not in the record and ${bucketName} is not readable as account ${bucketAccount}'s: it is probably another account's (set bucketOwners, or deploy the read-only role there)`;
    for (const layer of [...BUCKET_LAYERS, 'rcp']) reading.restateUnseen(layer, why);
  }

  if (organization === undefined && !home) reading.markUnseen('scp', 'no credentials for the deployment account');
  const snapshot: AccountSnapshot = {
    snapshotVersion: 1,
    capturedAt: deps.now().toISOString(),
    principal: principal ?? unreadPrincipal(request),
    session,
    bucket,
    kmsKeys: key.key ? [key.rcpLevels ? { ...key.key, rcpLevels: key.rcpLevels.levels } : key.key] : [],
    organization: withKeyAccount(organization ?? null, key),
    vpcEndpoints: endpoint ? [endpoint] : [],
    unseen: reading.unseen,
    ...(evidence.length > 0 ? { evidence } : {}),
  };
  return { snapshot, calls: reading.calls };
}
