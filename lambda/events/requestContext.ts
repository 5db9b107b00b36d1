/**
 * The request context keys a CloudTrail record lets us rebuild. A key the request did not carry stays
 * absent, because `…IfExists`, `Null` and the negated operators depend on absence.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
 */
import type { RequestContext } from '../policy/types';
import type { Caller } from '../model/request';
import type { CloudTrailRecord } from './cloudTrailRecord';

const PRINCIPAL_TYPE: Partial<Record<Caller['type'], string>> = {
  AssumedRole: 'AssumedRole',
  IAMUser: 'User',
  Root: 'Account',
  FederatedUser: 'FederatedUser',
};

// Maps, not object literals: a record's value is looked up here, and `__proto__` must find nothing.
/** CloudTrail's `AuthenticationMethod` → the values of `s3:authType`. */
const AUTH_TYPE = new Map([
  ['AuthHeader', 'REST-HEADER'],
  ['QueryString', 'REST-QUERY-STRING'],
  ['POST', 'POST'],
]);

/** CloudTrail's `SignatureVersion` → the values of `s3:signatureversion`. */
const SIGNATURE_VERSION = new Map([
  ['SigV4', 'AWS4-HMAC-SHA256'],
  ['SigV2', 'AWS'],
]);

function lookUp(table: Map<string, string>, value: unknown): string | null {
  return typeof value === 'string' ? (table.get(value) ?? null) : null;
}

export interface ContextInputs {
  record: CloudTrailRecord;
  caller: Caller;
  headers: Record<string, string>;
  sourceIp: string | null;
  vpcEndpointId: string | null;
  bucketAccountId: string | null;
  /** The `aws:s3:arn` entry of a KMS call's encryption context. */
  s3EncryptionContext: string | null;
}

function userIdOf(caller: Caller): string | null {
  if (caller.type === 'Root') return caller.accountId;
  return caller.principalId;
}

/**
 * Long-term access keys carry no MFA context at all, so `aws:MultiFactorAuthPresent` is absent for them
 * (which is why `BoolIfExists … false` denies them).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
 */
function mfaPresent(record: CloudTrailRecord): string | null {
  const attribute = record.userIdentity.sessionContext?.attributes?.mfaAuthenticated;
  if (attribute !== undefined) return attribute.toLowerCase();
  return null;
}

/**
 * Keys on the KMS call S3 makes for an uploader: the service it came through, the caller's account, and
 * the object (or, with an S3 Bucket Key, the bucket) in the encryption context, whose one key is named in
 * kms:EncryptionContextKeys.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
 */
export function kmsContext(caller: Caller, region: string, s3Arn: string | null): RequestContext {
  const context: RequestContext = { 'kms:CallerAccount': caller.accountId };
  if (caller.invokedBy && /(^|\.)s3\.amazonaws\.com$/.test(caller.invokedBy)) {
    context['kms:ViaService'] = `s3.${region}.amazonaws.com`;
  }
  if (s3Arn) {
    context['kms:EncryptionContext:aws:s3:arn'] = s3Arn;
    context['kms:EncryptionContextKeys'] = ['aws:s3:arn'];
  }
  return context;
}

export function buildRequestContext(inputs: ContextInputs): RequestContext {
  const { record, caller, headers, sourceIp, vpcEndpointId, bucketAccountId, s3EncryptionContext } = inputs;
  const context: RequestContext = {};
  const set = (key: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') context[key] = value;
  };

  // aws:SourceIp is absent on requests through a VPC endpoint; aws:VpcSourceIp carries the address instead.
  if (vpcEndpointId) {
    set('aws:SourceVpce', vpcEndpointId);
    set('aws:VpcSourceIp', sourceIp);
  } else {
    set('aws:SourceIp', sourceIp);
  }
  const viaService = caller.invokedBy !== null;
  set('aws:SecureTransport', record.tlsDetails || viaService ? 'true' : 'false');
  set('aws:PrincipalArn', caller.arn);
  set('aws:PrincipalAccount', caller.accountId);
  set('aws:PrincipalType', PRINCIPAL_TYPE[caller.type]);
  set('aws:userid', userIdOf(caller));
  if (caller.type === 'IAMUser') set('aws:username', caller.userName ?? caller.arn?.split('/').pop());
  set('aws:RequestedRegion', record.awsRegion);
  set('aws:CurrentTime', record.eventTime);
  const epoch = Date.parse(record.eventTime ?? '');
  if (Number.isFinite(epoch)) set('aws:EpochTime', String(Math.floor(epoch / 1000)));
  set('aws:MultiFactorAuthPresent', mfaPresent(record));
  // Temporary credentials only: when they were issued (IAM's "revoke active sessions" denies everything issued
  // before it, with DateLessThan on this key), and the source identity the session was created with.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
  const session = record.userIdentity.sessionContext;
  set('aws:TokenIssueTime', session?.attributes?.creationDate);
  set('aws:SourceIdentity', session?.sourceIdentity);
  set('aws:PrincipalIsAWSService', caller.type === 'AWSService' ? 'true' : 'false');
  set('aws:ViaAWSService', viaService ? 'true' : 'false');

  if (record.eventSource === 's3.amazonaws.com') {
    for (const [header, value] of Object.entries(headers)) set(`s3:${header}`, value);
    set('s3:ResourceAccount', bucketAccountId);
    const tlsVersion = record.tlsDetails?.tlsVersion?.replace(/^TLSv/, '');
    set('s3:TlsVersion', tlsVersion);
    const extra = record.additionalEventData ?? {};
    set('s3:signatureversion', lookUp(SIGNATURE_VERSION, extra.SignatureVersion));
    set('s3:authType', lookUp(AUTH_TYPE, extra.AuthenticationMethod));
    // A request through an access point names it among the resources; bucket policies that delegate access
    // to the owner's access points test these keys.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html#access-points-condition-keys
    const accessPoint = record.resources?.find((r) => r.type === 'AWS::S3::AccessPoint' && r.ARN);
    set('s3:DataAccessPointArn', accessPoint?.ARN);
    set('s3:DataAccessPointAccount', accessPoint?.accountId ?? accessPoint?.ARN?.split(':')[4]);
  }
  if (record.eventSource === 'kms.amazonaws.com') {
    Object.assign(context, kmsContext(caller, record.awsRegion, s3EncryptionContext));
  }
  return context;
}
