/**
 * The statement that grants exactly the denied request: this principal, this action, this object or key,
 * and for a KMS key only through S3 for this object. Never `*` actions, never a wider resource.
 */
import { accountRootArn, s3Arn } from '../model/arns';
import type { DecidingLayer, Fix, FixOwner, LayerName } from '../model/diagnosis';
import type { Statement } from '../policy/types';
import type { DeniedRequest } from '../model/request';
import { type AccountSnapshot, UNKNOWN_ACCOUNT } from '../model/snapshot';
import { requiredVariable, shellQuote } from './shellQuote';
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

/** A KMS grant for S3 is pinned to the service and the object, so it cannot be used for anything else. */
function kmsConditions(deciding: DecidingLayer, request: DeniedRequest, s3Arn: string | null): Statement['Condition'] {
  if (!deciding.action.startsWith('kms:') || !s3Arn) return undefined;
  return {
    StringEquals: {
      'kms:ViaService': `s3.${request.region}.amazonaws.com`,
      'kms:EncryptionContext:aws:s3:arn': s3Arn,
    },
  };
}

function s3ArnForKms(request: DeniedRequest, snapshot: AccountSnapshot): string | null {
  if (!request.bucket) return null;
  if (snapshot.bucket.defaultEncryption?.bucketKeyEnabled) return s3Arn(request.partition, request.bucket);
  return s3Arn(request.partition, request.bucket, request.key ?? '*');
}

function statementFor(deciding: DecidingLayer, request: DeniedRequest, snapshot: AccountSnapshot): Statement {
  const resource = deciding.resource ?? '*';
  const condition = kmsConditions(deciding, request, s3ArnForKms(request, snapshot));
  const base: Statement = { Sid: sidFor(deciding.action), Effect: 'Allow', Action: deciding.action, Resource: resource };
  if (condition) base.Condition = condition;
  switch (deciding.layer) {
    case 'bucket-policy':
    case 'vpc-endpoint-policy':
      return { ...base, ...grantee(request, snapshot.bucket.accountId) };
    case 'kms-key-policy': {
      const who = grantee(request, snapshot.bucket.accountId);
      const conditions = { ...(base.Condition?.StringEquals ?? {}), ...(who.Condition?.StringEquals ?? {}) };
      return {
        ...base,
        Principal: who.Principal,
        ...(Object.keys(conditions).length > 0 ? { Condition: { StringEquals: conditions } } : {}),
        Resource: '*',
      };
    }
    case 'rcp':
      return { ...base, Principal: '*' };
    default:
      return base;
  }
}

function policyJson(statement: Statement): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
}

/** Values attach with `=`, so none that starts with `-` is read as an option. */
function commandFor(deciding: DecidingLayer, request: DeniedRequest, statement: Statement, policyName: string): string | undefined {
  const name = request.caller.arn?.split('/').pop();
  const principalName = name ? shellQuote(name) : requiredVariable('NAME', 'the role or user name');
  const document = `--policy-document=${shellQuote(policyJson(statement))}`;
  switch (deciding.layer) {
    case 'identity-policy':
      return request.caller.type === 'IAMUser'
        ? `aws iam put-user-policy --user-name=${principalName} --policy-name=${policyName} ${document}`
        : `aws iam put-role-policy --role-name=${principalName} --policy-name=${policyName} ${document}`;
    case 'permissions-boundary': {
      const arn = deciding.policy?.arn
        ? shellQuote(deciding.policy.arn)
        : requiredVariable('BOUNDARY_ARN', 'the permissions boundary policy ARN');
      return `aws iam create-policy-version --policy-arn=${arn} --set-as-default --policy-document=file://boundary-with-fix.json`;
    }
    case 'bucket-policy': {
      const bucket = request.bucket ? shellQuote(request.bucket) : requiredVariable('BUCKET', 'the bucket name');
      return `aws s3api put-bucket-policy --bucket=${bucket} --policy=file://bucket-policy-with-fix.json`;
    }
    case 'vpc-endpoint-policy': {
      const endpoint = request.vpcEndpointId ? shellQuote(request.vpcEndpointId) : requiredVariable('VPCE_ID', 'the VPC endpoint id');
      return `aws ec2 modify-vpc-endpoint --vpc-endpoint-id=${endpoint} --policy-document=file://endpoint-policy-with-fix.json`;
    }
    case 'kms-key-policy': {
      const key = deciding.resource ? shellQuote(deciding.resource) : requiredVariable('KEY_ARN', 'the KMS key ARN');
      return `aws kms put-key-policy --key-id=${key} --policy-name=default --policy=file://key-policy-with-fix.json`;
    }
    case 'scp':
    case 'rcp':
      return `aws organizations update-policy --policy-id=${requiredVariable('POLICY_ID', 'the policy id')} --content=file://policy-with-fix.json`;
    default:
      return undefined;
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

export function grantFix(deciding: DecidingLayer, request: DeniedRequest, snapshot: AccountSnapshot): Fix | null {
  const where = WHERE[deciding.layer];
  if (!where) return null;
  const statement = statementFor(deciding, request, snapshot);
  const policyName =
    deciding.layer === 'identity-policy' ? `why-denied-${deciding.action.replace(':', '-').toLowerCase()}` : deciding.policy?.name;
  const command = commandFor(deciding, request, statement, policyName ?? 'why-denied');
  return {
    summary: `Add a statement allowing ${deciding.action} on ${deciding.resource ?? 'the resource'} for ${granteeName(request)} to ${where}.`,
    owner: OWNER_OF_LAYER[deciding.layer],
    ...(command ? { command } : {}),
    policyPatch: { layer: deciding.layer, ...(policyName ? { policyName } : {}), Statement: [statement] },
  };
}
