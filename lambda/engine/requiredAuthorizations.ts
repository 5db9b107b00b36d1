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
import { uploadKeyReference } from '../model/uploadKey';
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

/** Keys only the account knows: the principal's tags and organization, the resource's account. */
function enrichContext(request: DeniedRequest, snapshot: AccountSnapshot): RequestContext {
  const context: RequestContext = { ...request.context };
  const tags = { ...(snapshot.principal.tags ?? {}), ...(snapshot.session?.tags ?? {}) };
  for (const [key, value] of Object.entries(tags)) {
    if (typeof value === 'string') context[`aws:PrincipalTag/${key}`] = value;
  }
  Object.assign(context, principalOrganizationKeys(snapshot.organization, request.caller.accountId));
  // The record names the endpoint, not its VPC; network-perimeter policies test the VPC.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpc
  const vpcId = snapshot.vpcEndpoints?.find((endpoint) => endpoint.id === request.vpcEndpointId)?.vpcId;
  if (request.vpcEndpointId && vpcId) context['aws:SourceVpc'] = vpcId;
  // An owner the collectors could not learn is no value: "unknown" would fail a StringEquals as if known.
  if (request.service === 's3' && snapshot.bucket.accountId !== UNKNOWN_ACCOUNT) {
    context['s3:ResourceAccount'] ??= snapshot.bucket.accountId;
    context['aws:ResourceAccount'] ??= snapshot.bucket.accountId;
    Object.assign(context, resourceOrganizationKeys(snapshot.organization, snapshot.bucket.accountId, request.caller.accountId));
  }
  return context;
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

/** The key a reference names, its ARN, and the account that owns it; a bare key id or alias is in `account`. */
function resolveKey(
  reference: string,
  snapshot: AccountSnapshot,
  request: DeniedRequest,
  account: string,
): { key: KmsKeySnapshot | null; arn: string; owner: string } {
  const key = findKey(snapshot, reference);
  const arn = keyArnOf(reference, key, request, account);
  return { key, arn, owner: key?.accountId ?? accountOfArn(arn) ?? account };
}

/**
 * aws:ResourceAccount is the account that owns the resource a call acts on: for a KMS call the key's, which
 * may not be the bucket's. Left out when no one knows it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
 */
function ownedBy(context: RequestContext, account: string, snapshot: AccountSnapshot, callerAccount: string): RequestContext {
  const owned: RequestContext = { ...context };
  for (const key of ['aws:ResourceAccount', 'aws:ResourceOrgID', 'aws:ResourceOrgPaths']) delete owned[key];
  if (account === UNKNOWN_ACCOUNT) return owned;
  return { ...owned, 'aws:ResourceAccount': account, ...resourceOrganizationKeys(snapshot.organization, account, callerAccount) };
}

/** S3 context keys do not exist on the KMS call S3 makes for the uploader; the kms: keys do. */
function kmsCallContext(
  s3Context: RequestContext,
  request: DeniedRequest,
  snapshot: AccountSnapshot,
  s3Arn: string,
  keyAccount: string,
): RequestContext {
  const context: RequestContext = {};
  for (const [key, value] of Object.entries(s3Context)) {
    if (!key.startsWith('s3:')) context[key] = value;
  }
  context['aws:ViaAWSService'] = 'true';
  const viaS3 = { ...request.caller, invokedBy: request.caller.invokedBy ?? 'fas.s3.amazonaws.com' };
  return ownedBy({ ...context, ...kmsContext(viaS3, request.region, s3Arn) }, keyAccount, snapshot, request.caller.accountId);
}

/**
 * A call on a KMS key carries the key's aliases and tags, which KMS's attribute-based policies test.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases
 * https://docs.aws.amazon.com/kms/latest/developerguide/abac.html
 */
function keyAttributes(key: KmsKeySnapshot | null): RequestContext {
  const context: RequestContext = {};
  if (key?.aliases?.length) context['kms:ResourceAliases'] = key.aliases;
  for (const [tag, value] of Object.entries(key?.tags ?? {})) context[`aws:ResourceTag/${tag}`] = value;
  return context;
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
    const { key, arn, owner } = resolveKey(request.kmsKeyId ?? '', snapshot, request, request.caller.accountId);
    const keyCall = { ...ownedBy(context, owner, snapshot, request.caller.accountId), ...keyAttributes(key) };
    add(`kms:${request.event.name}`, arn, 'kms', keyCall, key, owner);
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
    const { key, arn, owner } = resolveKey(reference, snapshot, request, bucketAccount);
    const contextArn = snapshot.bucket.defaultEncryption?.bucketKeyEnabled ? s3Arn(request.partition, bucket) : objectArn;
    const kmsContextForCall = { ...kmsCallContext(context, request, snapshot, contextArn, owner), ...keyAttributes(key) };
    add('kms:GenerateDataKey', arn, 'kms', kmsContextForCall, key, owner);
    if (request.multipart) add('kms:Decrypt', arn, 'kms', kmsContextForCall, key, owner);
  }
  return authorizations;
}
