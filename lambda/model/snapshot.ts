/**
 * The account snapshot: every policy layer that could have decided a request, as the collectors saw it.
 * Faithful to `shared/contract/snapshot.schema.json`.
 */
import type { PolicyDocument } from '../policy/types';

/**
 * `service`: an AWS service caller, named by `principalId` (e.g. `s3.amazonaws.com`); `anonymous`: an
 * unauthenticated request; `account`: only the caller's account is known (the bucket owner's copy).
 */
export type PrincipalKind = 'role' | 'user' | 'root' | 'federated-user' | 'service' | 'anonymous' | 'account' | 'unknown';

/** A bucket's `accountId` when the collectors could not learn who owns it: never the same account as anyone. */
export const UNKNOWN_ACCOUNT = 'unknown';

export interface NamedPolicy {
  name?: string;
  arn?: string;
  document: PolicyDocument;
}

export interface AttachedPolicy extends NamedPolicy {
  source: 'inline' | 'managed' | 'group-inline' | 'group-managed';
  name: string;
  group?: string;
}

export interface PublicAccessBlock {
  blockPublicAcls?: boolean;
  ignorePublicAcls?: boolean;
  blockPublicPolicy?: boolean;
  restrictPublicBuckets?: boolean;
}

export interface AclGrant {
  grantee: { type: string; id?: string; uri?: string; emailAddress?: string };
  permission: string;
}

export interface BucketSnapshot {
  name: string;
  arn?: string;
  accountId: string;
  region?: string;
  ownerCanonicalId?: string;
  policy?: PolicyDocument | null;
  objectOwnership?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter' | null;
  publicAccessBlock?: PublicAccessBlock | null;
  accountPublicAccessBlock?: PublicAccessBlock | null;
  defaultEncryption?: {
    sseAlgorithm?: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
    kmsMasterKeyId?: string;
    bucketKeyEnabled?: boolean;
  } | null;
  acl?: { grants?: AclGrant[] } | null;
}

export interface KmsGrant {
  grantId?: string;
  granteePrincipal?: string;
  operations?: string[];
  constraints?: {
    encryptionContextEquals?: Record<string, string>;
    encryptionContextSubset?: Record<string, string>;
  };
}

export interface KmsKeySnapshot {
  arn: string;
  accountId: string;
  aliases?: string[];
  keyManager?: 'AWS' | 'CUSTOMER';
  keyState: string;
  policy?: PolicyDocument | null;
  grants?: KmsGrant[];
  /** The key's tags: aws:ResourceTag/… of a call on it (not in the contract, which allows it). */
  tags?: Record<string, string>;
  /**
   * The RCP levels above the key's account, when it is not the account `organization.rcpLevels` are read for
   * (a key kept in a third account): `[]` when that account is outside the organization or RCPs are off;
   * absent when not read (not in the contract, which allows it).
   */
  rcpLevels?: OrgLevel[];
}

export interface OrgPolicy {
  id?: string;
  name?: string;
  document: PolicyDocument;
}

export interface OrgLevel {
  target: string;
  policies: OrgPolicy[];
}

export interface OrganizationSnapshot {
  id?: string;
  /** SCPs do not restrict its principals, nor RCPs its resources (not in the contract, which allows it). */
  managementAccountId?: string;
  memberAccountIds?: string[];
  scpLevels?: OrgLevel[];
  rcpLevels?: OrgLevel[];
}

export interface VpcEndpointSnapshot {
  id: string;
  /** The VPC it serves: aws:SourceVpc of a request through it (not in the contract, which allows it). */
  vpcId?: string;
  serviceName?: string;
  type?: string;
  policy?: PolicyDocument | null;
}

export interface UnseenLayer {
  layer: string;
  reason: string;
}

/**
 * Another record's word on the same denial, e.g. the failed KMS call S3 made for the uploader. An addition
 * to the contract's snapshot: optional, and ignored by anything that does not know it.
 */
export interface SnapshotEvidence {
  source: string;
  errorMessage: string;
}

export interface AccountSnapshot {
  snapshotVersion: 1;
  capturedAt: string;
  principal: {
    arn: string | null;
    principalId?: string;
    kind: PrincipalKind;
    accountId: string;
    tags?: Record<string, string> | null;
    policies?: AttachedPolicy[] | null;
    permissionsBoundary?: NamedPolicy | null;
  };
  session?: {
    policies?: NamedPolicy[];
    tags?: Record<string, string>;
    source?: string;
  } | null;
  bucket: BucketSnapshot;
  kmsKeys?: KmsKeySnapshot[];
  organization?: OrganizationSnapshot | null;
  vpcEndpoints?: VpcEndpointSnapshot[];
  unseen: UnseenLayer[];
  evidence?: SnapshotEvidence[];
}
