/**
 * The statement that grants the denied job: this principal, this action, the key's folder (the job's next
 * uploads land beside this one; a key at the root keeps its exact ARN), and for a KMS key only through S3
 * for that folder. Never `*` actions, never a wildcard that came from the key.
 */
import { accountRootArn, parseS3Arn, s3Arn } from '../policy/arns';
import { jobScopeOf, jobScopeOfArn } from './jobScope';
import type { DecidingLayer, Fix, FixOwner, LayerName } from '../model/diagnosis';
import type { Statement } from '../policy/types';
import type { DeniedRequest } from '../model/request';
import { type AccountSnapshot, UNKNOWN_ACCOUNT } from '../model/snapshot';
import { patchCommand } from './patchCommand';
import { orgPolicyOf } from './orgPolicyOf';
import { principalKindOf } from '../events/principalKind';

export const OWNER_OF_LAYER: Record<LayerName, FixOwner> = {
  'identity-policy': 'account-admin',
  'permissions-boundary': 'account-admin',
  'session-policy': 'uploader',
  scp: 'org-admin',
  rcp: 'org-admin',
  'bucket-policy': 'bucket-owner',
  'bucket-acl': 'bucket-owner',
  'object-ownership': 'uploader',
  'block-public-access': 'uploader',
  'vpc-endpoint-policy': 'account-admin',
  'kms-key-policy': 'key-owner',
  'kms-grant': 'key-owner',
  'kms-key-state': 'key-owner',
  credentials: 'uploader',
  unknown: 'account-admin',
};

function sidFor(action: string): string {
  return `WhyDenied${
    action
      .split(':')
      .pop()
      ?.replace(/[^A-Za-z0-9]/g, '') ?? 'Fix'
  }`;
}

function principalArnOf(request: DeniedRequest): string {
  return request.caller.arn ?? accountRootArn(request.partition, request.caller.accountId);
}

/**
 * Who a resource-policy grant names. A service principal is granted as `{"Service": …}` and pinned to the
 * account it works for with `aws:SourceAccount`, so no other customer's use of the service gets in
 * (the confused-deputy guard).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
function grantee(request: DeniedRequest, resourceAccount: string | null): Pick<Statement, 'Principal' | 'Condition'> {
  if (principalKindOf(request.caller) !== 'service' || !request.caller.invokedBy) return { Principal: { AWS: principalArnOf(request) } };
  const account = resourceAccount && resourceAccount !== UNKNOWN_ACCOUNT ? resourceAccount : request.caller.accountId;
  return {
    Principal: { Service: request.caller.invokedBy },
    ...(account ? { Condition: { StringEquals: { 'aws:SourceAccount': account } } } : {}),
  };
}

function granteeName(request: DeniedRequest): string {
  return principalKindOf(request.caller) === 'service' && request.caller.invokedBy
    ? `the service ${request.caller.invokedBy}`
    : principalArnOf(request);
}

/**
 * A KMS grant for S3 is pinned to the service and to the job's objects (or the bucket, with an S3 Bucket
 * Key, whose context is the bucket's ARN), so it cannot be used for anything else.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 */
function kmsConditions(deciding: DecidingLayer, request: DeniedRequest, snapshot: AccountSnapshot): Statement['Condition'] {
  if (!deciding.action.startsWith('kms:') || !request.bucket) return undefined;
  const viaService = { 'kms:ViaService': `s3.${request.region}.amazonaws.com` };
  if (snapshot.bucket.defaultEncryption?.bucketKeyEnabled || request.key === null) {
    return { StringEquals: { ...viaService, 'kms:EncryptionContext:aws:s3:arn': s3Arn(request.partition, request.bucket) } };
  }
  return {
    StringEquals: viaService,
    StringLike: { 'kms:EncryptionContext:aws:s3:arn': jobScopeOf(request.partition, request.bucket, request.key).resource },
  };
}

/**
 * The resource a grant names. An object is granted by its folder; an organization policy allows the
 * action on the whole bucket (it is a guardrail on the account, not a grant to one job).
 */
function grantedResource(deciding: DecidingLayer, request: DeniedRequest): string {
  const resource = deciding.resource ?? '*';
  const object = parseS3Arn(resource);
  if (!object?.key) return resource;
  if (deciding.layer === 'scp' || deciding.layer === 'rcp') return s3Arn(request.partition, object.bucket, '*');
  return jobScopeOf(request.partition, object.bucket, object.key).resource;
}

function statementFor(deciding: DecidingLayer, request: DeniedRequest, snapshot: AccountSnapshot): Statement {
  const condition = kmsConditions(deciding, request, snapshot);
  const base: Statement = {
    Sid: sidFor(deciding.action),
    Effect: 'Allow',
    Action: deciding.action,
    Resource: grantedResource(deciding, request),
  };
  if (condition) base.Condition = condition;
  switch (deciding.layer) {
    case 'bucket-policy':
    case 'vpc-endpoint-policy':
      return { ...base, ...grantee(request, snapshot.bucket.accountId) };
    case 'kms-key-policy': {
      const who = grantee(request, snapshot.bucket.accountId);
      const stringEquals = { ...(base.Condition?.StringEquals ?? {}), ...(who.Condition?.StringEquals ?? {}) };
      const conditions = { ...(base.Condition ?? {}), ...(Object.keys(stringEquals).length > 0 ? { StringEquals: stringEquals } : {}) };
      return {
        ...base,
        Principal: who.Principal,
        ...(Object.keys(conditions).length > 0 ? { Condition: conditions } : {}),
        Resource: '*',
      };
    }
    case 'rcp':
      return { ...base, Principal: '*' };
    default:
      return base;
  }
}

const WHERE: Partial<Record<LayerName, string>> = {
  'identity-policy': 'a new inline policy on the caller',
  'permissions-boundary': 'the permissions boundary (as a new default version)',
  'session-policy': 'the session policy passed when assuming the role',
  'bucket-policy': 'the bucket policy',
  'vpc-endpoint-policy': 'the VPC endpoint policy',
  'kms-key-policy': 'the key policy',
  scp: 'an SCP at the level that lacks an Allow',
  rcp: 'an RCP at the level that lacks an Allow',
};

const VERB: Readonly<Record<string, string>> = {
  's3:PutObject': 'write',
  's3:PutObjectAcl': 'set the ACL of',
  's3:GetObject': 'read',
};

/** The grantee as a person names it: `UploaderRole`, `account 111122223333`, `the service …`. */
function shortName(request: DeniedRequest): string {
  if (principalKindOf(request.caller) === 'service' && request.caller.invokedBy) return `the service ${request.caller.invokedBy}`;
  const arn = principalArnOf(request);
  return arn.endsWith(':root') ? `account ${request.caller.accountId}` : arn.slice(arn.lastIndexOf('/') + 1);
}

/** How far the grant reaches, in words: `lets UploaderRole write any object under daily/ in acme-reports`. */
function breadthOf(deciding: DecidingLayer, request: DeniedRequest, statement: Statement): string {
  const who = shortName(request);
  if (deciding.action.startsWith('kms:')) {
    const objects =
      request.bucket && request.key !== null ? ` for ${jobScopeOf(request.partition, request.bucket, request.key).breadth}` : '';
    return `lets ${who} use ${deciding.action} on ${deciding.resource ?? 'the key'} through S3${objects}`;
  }
  const verb = VERB[deciding.action] ?? `call ${deciding.action} on`;
  const object = parseS3Arn(typeof statement.Resource === 'string' ? statement.Resource : null);
  if (!object?.key) return `lets ${who} ${verb} ${deciding.resource ?? 'the resource'}`;
  if (object.key === '*') return `lets ${who} ${verb} any object in ${object.bucket}`;
  return `lets ${who} ${verb} ${jobScopeOfArn(deciding.resource ?? '')?.breadth ?? deciding.resource}`;
}

/**
 * The policy of the layer that receives the statement, named as the what-if and the plan find it: a key by
 * its ARN, an organization policy by its id at the level that lacks an Allow.
 */
function receivingPolicy(deciding: DecidingLayer, snapshot: AccountSnapshot): { policyName?: string; where?: string } {
  switch (deciding.layer) {
    case 'identity-policy':
      return { policyName: `why-denied-${deciding.action.replace(':', '-').toLowerCase()}` };
    case 'kms-key-policy':
      return deciding.resource ? { policyName: deciding.resource } : {};
    case 'scp':
    case 'rcp': {
      const { level, policy } = orgPolicyOf(deciding, snapshot) ?? {};
      if (!level || !policy?.id) return deciding.policy?.name ? { policyName: deciding.policy.name } : {};
      const kind = deciding.layer.toUpperCase();
      return {
        policyName: policy.id,
        where: `${kind} ${policy.name ? `"${policy.name}" (${policy.id})` : policy.id} attached to ${level.target}`,
      };
    }
    default:
      return deciding.policy?.name ? { policyName: deciding.policy.name } : {};
  }
}

/** The elements in the order policies are written and read: who, then what, then when. */
function inPolicyOrder({ Sid, Effect, Principal, Action, Resource, Condition }: Statement): Statement {
  return { ...(Sid ? { Sid } : {}), Effect, ...(Principal ? { Principal } : {}), Action, Resource, ...(Condition ? { Condition } : {}) };
}

export function grantFix(deciding: DecidingLayer, request: DeniedRequest, snapshot: AccountSnapshot): Fix | null {
  const fallbackWhere = WHERE[deciding.layer];
  if (!fallbackWhere) return null;
  const statement = inPolicyOrder(statementFor(deciding, request, snapshot));
  const { policyName, where = fallbackWhere } = receivingPolicy(deciding, snapshot);
  const policyPatch = { layer: deciding.layer, ...(policyName ? { policyName } : {}), Statement: [statement] };
  const command = patchCommand(policyPatch, request, snapshot);
  return {
    summary: `Add a statement allowing ${deciding.action} on ${String(statement.Resource)} for ${granteeName(request)} to ${where}: it ${breadthOf(deciding, request, statement)}.`,
    owner: OWNER_OF_LAYER[deciding.layer],
    ...(command ? { command } : {}),
    policyPatch,
  };
}
