/**
 * The request rebuilt from a denied CloudTrail record: who asked, for what, and with which context keys.
 * Everything in here came from the event; nothing from the account.
 */
import type { RequestContext } from '../policy/types';

export type PolicyTypeBlamed =
  | 'identity-based policy'
  | 'resource-based policy'
  | 'service control policy'
  | 'resource control policy'
  | 'permissions boundary'
  | 'session policy'
  | 'VPC endpoint policy';

/** What S3 or KMS itself said in its enhanced `errorMessage`: the layer and action it blamed, and the policy when it named one. */
export interface AwsBlame {
  callerArn: string;
  action: string;
  resource: string | null;
  kind: 'explicit-deny' | 'implicit-deny' | 'block-public-access';
  policyType: PolicyTypeBlamed | null;
  /** The Block Public Access setting S3 named, when it blamed one. */
  setting: string | null;
  /** The denying policy's ARN, which AWS adds for same-account and same-organization callers. */
  policyArn: string | null;
}

export interface EventSummary {
  id: string;
  time: string;
  source: string;
  name: string;
  errorCode: string | null;
  errorMessage: string | null;
}

export type CallerType = 'AssumedRole' | 'IAMUser' | 'Root' | 'FederatedUser' | 'AWSAccount' | 'AWSService' | 'Unknown';

export interface Caller {
  /** The role or user (not the session); null when CloudTrail names only the caller's account. */
  arn: string | null;
  /** The ARN that made the call: the role session for an assumed role. */
  sessionArn: string | null;
  accountId: string;
  principalId: string | null;
  type: CallerType;
  userName: string | null;
  sessionName: string | null;
  accessKeyId: string | null;
  /** The service that called on the uploader's behalf (forward access session), e.g. `fas.s3.amazonaws.com`. */
  invokedBy: string | null;
  /** When the role session was created: where to look for its AssumeRole record. */
  sessionCreatedAt: string | null;
}

export interface DeniedRequest {
  event: EventSummary;
  service: 's3' | 'kms';
  caller: Caller;
  region: string;
  /** `aws`, `aws-us-gov` or `aws-cn`: the ARNs the request is matched against are written in it. */
  partition: string;
  bucket: string | null;
  key: string | null;
  /** The source object of a copy, which needs `s3:GetObject`. */
  copySource: { bucket: string; key: string } | null;
  /** The KMS key named by the request (header or KMS event), as given: id, ARN or alias. */
  kmsKeyId: string | null;
  /** The `x-amz-*` headers the uploader sent, lower-cased names. */
  headers: Record<string, string>;
  sentAclHeaders: boolean;
  multipart: boolean;
  vpcEndpointId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  context: RequestContext;
  blame: AwsBlame | null;
  /** The id both accounts' copies of one cross-account call carry (`sharedEventID`). */
  sharedEventId: string | null;
  /** The account whose trail logged this copy: the bucket owner's for its copy of a cross-account call. */
  recipientAccountId: string | null;
}
