/**
 * The permissions an S3 write needs: s3:PutObject always; s3:PutObjectAcl when its ACL grants others access;
 * s3:GetObject on a copy's source; and for SSE-KMS (by header or bucket default) kms:GenerateDataKey on
 * the key, plus kms:Decrypt for multipart uploads. A KMS record needs just its own operation.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#aws-managed-customer-managed-keys
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
 */
import { accountOfArn } from '../model/accountOfArn';
import { accountRootArn, s3Arn } from '../policy/arns';
import { principalKindOf } from '../events/principalKind';
import { kmsContext } from '../events/requestContext';
import { grantsAccessToOthers } from './grantsAccessToOthers';
import type { Authorization } from '../layers/types';
import type { RequestContext, RequestPrincipal } from '../policy/types';
import type { DeniedRequest } from '../model/request';
import { type AccountSnapshot, type KmsKeySnapshot, UNKNOWN_ACCOUNT } from '../model/snapshot';
import { AWS_MANAGED_S3_KEY, uploadKeyReference } from '../model/uploadKey';
import { rcpLevelsAbove } from '../model/rcpLevelsAbove';
import { principalOrganizationKeys, resourceOrganizationKeys } from './organizationKeys';

/**
 * The principal a resource policy is matched against. An AWS service caller is its service principal
 * (`Principal: {"Service": …}`), never the account it acts for; an anonymous one matches only `*`.
 */
export function requestPrincipal(request: DeniedRequest): RequestPrincipal {
  const { caller } = request;
  const kind = principalKindOf(caller);
  if (kind === 'service') {
    const service = caller.invokedBy ?? 'unknown.amazonaws.com';
    return { arn: service, accountId: caller.accountId, service };
  }
  if (kind === 'anonymous') return { arn: 'anonymous', accountId: 'anonymous', anonymous: true };
  return {
    arn: caller.sessionArn ?? caller.arn ?? accountRootArn(request.partition, caller.accountId),
    ...(caller.type === 'AssumedRole' && caller.arn ? { roleArn: caller.arn } : {}),
    accountId: caller.accountId,
  };
}

/**
 * A context made of several: later parts win. Built by Object.assign into a fresh object, as V8 extends a
 * spread copy of a record-sized object slowly (about a microsecond a key), and every replay builds contexts.
 */
function merged(...parts: RequestContext[]): RequestContext {
  return Object.assign({}, ...parts) as RequestContext;
}

/** Keys only the account knows: the principal's tags and organization, the resource's account. */
function enrichContext(request: DeniedRequest, snapshot: AccountSnapshot): RequestContext {
  const known: RequestContext = {};
  const tags = { ...(snapshot.principal.tags ?? {}), ...(snapshot.session?.tags ?? {}) };
  for (const [key, value] of Object.entries(tags)) {
    if (typeof value === 'string') known[`aws:PrincipalTag/${key}`] = value;
  }
  Object.assign(known, principalOrganizationKeys(snapshot.organization, request.caller.accountId));
  // The record names the endpoint, not its VPC; network-perimeter policies test the VPC.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpc
  const vpcId = snapshot.vpcEndpoints?.find((endpoint) => endpoint.id === request.vpcEndpointId)?.vpcId;
  if (request.vpcEndpointId && vpcId) known['aws:SourceVpc'] = vpcId;
  // An owner the collectors could not learn is no value: "unknown" would fail a StringEquals as if known.
  const bucketAccount = snapshot.bucket.accountId;
  if (request.service !== 's3' || bucketAccount === UNKNOWN_ACCOUNT) return merged(request.context, known);
  const levels = rcpLevelsAbove(snapshot, 's3', bucketAccount, null);
  Object.assign(known, resourceOrganizationKeys(snapshot.organization, bucketAccount, request.caller.accountId, levels));
  // The record's own account keys, when it has them, stand over the snapshot's.
  const owner = { 's3:ResourceAccount': bucketAccount, 'aws:ResourceAccount': bucketAccount };
  return merged(owner, request.context, known);
}

function findKey(snapshot: AccountSnapshot, reference: string): KmsKeySnapshot | null {
  const keys = snapshot.kmsKeys ?? [];
  const alias = reference.includes('alias/') ? reference.slice(reference.indexOf('alias/')) : null;
  return (
    keys.find((k) => k.arn === reference || k.arn.endsWith(`:key/${reference}`) || (alias !== null && (k.aliases ?? []).includes(alias))) ??
    null
  );
}

function keyArnOf(reference: string, key: KmsKeySnapshot | null, request: DeniedRequest, account: string): string {
  if (key) return key.arn;
  if (reference.startsWith('arn:')) return reference;
  const prefix = `arn:${request.partition}:kms:${request.region}:${account}`;
  return reference.startsWith('alias/') ? `${prefix}:${reference}` : `${prefix}:key/${reference}`;
}

/**
 * The AWS managed key for S3 of the bucket's account, when the snapshot does not hold it (an upload the
 * what-if sends with SSE-KMS and no key id): AWS fixes its policy and it can be neither disabled nor deleted,
 * so what it allows is known without reading it.
 * https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
 * https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html ("permanently enabled")
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (aws:kms with no key id: "S3 uses the AWS managed key")
 */
function awsManagedS3Key(reference: string, request: DeniedRequest, account: string): KmsKeySnapshot | null {
  if (reference !== AWS_MANAGED_S3_KEY || request.service !== 's3' || account === UNKNOWN_ACCOUNT) return null;
  const arn = keyArnOf(reference, null, request, account);
  return { arn, accountId: account, aliases: [AWS_MANAGED_S3_KEY], keyManager: 'AWS', keyState: 'Enabled', grants: [] };
}

/** The key a reference names, its ARN, and the account that owns it; a bare key id or alias is in `account`. */
function resolveKey(
  reference: string,
  snapshot: AccountSnapshot,
  request: DeniedRequest,
  account: string,
): { key: KmsKeySnapshot | null; arn: string; owner: string } {
  const key = findKey(snapshot, reference) ?? awsManagedS3Key(reference, request, account);
  const arn = keyArnOf(reference, key, request, account);
  return { key, arn, owner: key?.accountId ?? accountOfArn(arn) ?? account };
}

/** The bucket's account and organization: the key's own take their place on a call on the key. */
const RESOURCE_ORGANIZATION_KEYS: ReadonlySet<string> = new Set(['aws:ResourceAccount', 'aws:ResourceOrgID', 'aws:ResourceOrgPaths']);

/**
 * What a call on a KMS key carries of the key: the account that owns it (aws:ResourceAccount, which may not be
 * the bucket's; left out when no one knows it) and that account's organization, and the key's aliases and
 * tags, which KMS's attribute-based policies test.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases
 * https://docs.aws.amazon.com/kms/latest/developerguide/abac.html
 */
function onKey(
  context: RequestContext,
  resolved: { key: KmsKeySnapshot | null; owner: string },
  snapshot: AccountSnapshot,
  request: DeniedRequest,
): RequestContext {
  const { key, owner } = resolved;
  const called: RequestContext = {};
  for (const [name, value] of Object.entries(context)) {
    if (!RESOURCE_ORGANIZATION_KEYS.has(name)) called[name] = value;
  }
  if (key?.aliases?.length) called['kms:ResourceAliases'] = key.aliases;
  for (const [tag, value] of Object.entries(key?.tags ?? {})) called[`aws:ResourceTag/${tag}`] = value;
  if (owner === UNKNOWN_ACCOUNT) return called;
  const levels = rcpLevelsAbove(snapshot, request.service, owner, key);
  return merged(called, {
    'aws:ResourceAccount': owner,
    ...resourceOrganizationKeys(snapshot.organization, owner, request.caller.accountId, levels),
  });
}

/** S3 context keys do not exist on the KMS call S3 makes for the uploader; the kms: keys do. */
function kmsCallContext(
  s3Context: RequestContext,
  request: DeniedRequest,
  snapshot: AccountSnapshot,
  s3Arn: string,
  resolved: { key: KmsKeySnapshot | null; owner: string },
): RequestContext {
  const context: RequestContext = {};
  for (const [key, value] of Object.entries(s3Context)) {
    if (!key.startsWith('s3:')) context[key] = value;
  }
  context['aws:ViaAWSService'] = 'true';
  const viaS3 = { ...request.caller, invokedBy: request.caller.invokedBy ?? 'fas.s3.amazonaws.com' };
  return onKey(merged(context, kmsContext(viaS3, request.region, s3Arn)), resolved, snapshot, request);
}

/**
 * @example requiredAuthorizations(request, snapshot).map((a) => a.action) // ['s3:PutObject', 'kms:GenerateDataKey']
 */
export function requiredAuthorizations(request: DeniedRequest, snapshot: AccountSnapshot): Authorization[] {
  const principal: RequestPrincipal = {
    ...requestPrincipal(request),
    ...(snapshot.principal.permissionsBoundary ? { hasPermissionsBoundary: true } : {}),
  };
  const context = enrichContext(request, snapshot);
  const bucketAccount = snapshot.bucket.accountId;
  const authorizations: Authorization[] = [];
  const add = (
    action: string,
    resource: string,
    service: 's3' | 'kms',
    ctx: RequestContext,
    key: KmsKeySnapshot | null,
    resourceAccount: string,
  ) => authorizations.push({ action, resource, service, key, resourceAccount, query: { principal, action, resource, context: ctx } });

  if (request.service === 'kms') {
    const resolved = resolveKey(request.kmsKeyId ?? '', snapshot, request, request.caller.accountId);
    const { key, arn, owner } = resolved;
    add(`kms:${request.event.name}`, arn, 'kms', onKey(context, resolved, snapshot, request), key, owner);
    return authorizations;
  }

  const bucket = request.bucket ?? snapshot.bucket.name;
  const objectArn = s3Arn(request.partition, bucket, request.key ?? '*');
  add('s3:PutObject', objectArn, 's3', context, null, bucketAccount);
  if (grantsAccessToOthers(request.headers, snapshot.bucket.ownerCanonicalId ?? null))
    add('s3:PutObjectAcl', objectArn, 's3', context, null, bucketAccount);
  if (request.copySource) {
    const source = s3Arn(request.partition, request.copySource.bucket, request.copySource.key);
    const sourceAccount = request.copySource.bucket === snapshot.bucket.name ? bucketAccount : UNKNOWN_ACCOUNT;
    add('s3:GetObject', source, 's3', context, null, sourceAccount);
  }
  const reference = uploadKeyReference(request, snapshot.bucket.defaultEncryption);
  if (reference) {
    const resolved = resolveKey(reference, snapshot, request, bucketAccount);
    const { key, arn, owner } = resolved;
    const contextArn = snapshot.bucket.defaultEncryption?.bucketKeyEnabled ? s3Arn(request.partition, bucket) : objectArn;
    const kmsContextForCall = kmsCallContext(context, request, snapshot, contextArn, resolved);
    add('kms:GenerateDataKey', arn, 'kms', kmsContextForCall, key, owner);
    if (request.multipart) add('kms:Decrypt', arn, 'kms', kmsContextForCall, key, owner);
  }
  return authorizations;
}
