/**
 * The bucket's side: policy, Object Ownership, Block Public Access (bucket and account), default
 * encryption and, only when ACLs are in force, the ACL. "Not configured" answers are facts, not failures.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
 * Block Public Access, the bucket's and the account's (S3 applies the more restrictive): BlockPublicAcls refuses
 * an upload that sets a public ACL, RestrictPublicBuckets a caller from another account when the bucket policy is
 * public, IgnorePublicAcls a public WRITE grant in the bucket ACL. Both are read where one of them can decide;
 * for an upload of the bucket's own account that sets no ACL, none can, and neither costs a call.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, type S3ControlClient } from '@aws-sdk/client-s3-control';
import { partitionOfRegion, s3Arn } from '../policy/arns';
import type { BucketSnapshot, PublicAccessBlock } from '../model/snapshot';
import type { Reading } from './Reading';
import { ACL_WRITES, isPublicGroup } from '../model/publicAclGroups';

interface BlockConfiguration {
  BlockPublicAcls?: boolean;
  IgnorePublicAcls?: boolean;
  BlockPublicPolicy?: boolean;
  RestrictPublicBuckets?: boolean;
}

function publicAccessBlockOf(config: BlockConfiguration | undefined): PublicAccessBlock | null {
  if (!config) return null;
  return {
    blockPublicAcls: config.BlockPublicAcls === true,
    ignorePublicAcls: config.IgnorePublicAcls === true,
    blockPublicPolicy: config.BlockPublicPolicy === true,
    restrictPublicBuckets: config.RestrictPublicBuckets === true,
  };
}

function grantsPublicWrite(grants: { Grantee?: { URI?: string }; Permission?: string }[] | undefined): boolean {
  return (grants ?? []).some((g) => isPublicGroup(g.Grantee?.URI) && ACL_WRITES.has(g.Permission ?? ''));
}

export interface BucketTarget {
  name: string;
  accountId: string;
  region: string;
  /** The upload sets an ACL, or comes from another account: Block Public Access, the bucket's or the account's, can decide. */
  needsPublicAccessBlock: boolean;
}

/** @example await collectBucket(s3, s3control, { name: 'b', accountId: '1', region: 'us-east-1', needsPublicAccessBlock: false }, reading) */
export async function collectBucket(
  s3: S3Client,
  s3control: S3ControlClient,
  target: BucketTarget,
  reading: Reading,
): Promise<BucketSnapshot> {
  const { name, accountId } = target;
  const owner = { ExpectedBucketOwner: accountId };
  // The bucket's setting and the account's, read together: S3 applies the more restrictive of each.
  const readBlocks = () =>
    Promise.all([
      reading.attempt('block-public-access', 's3:GetBucketPublicAccessBlock', name, () =>
        s3.send(new GetPublicAccessBlockCommand({ Bucket: name, ...owner })),
      ),
      reading.attempt('block-public-access', 's3:GetAccountPublicAccessBlock', accountId, () =>
        s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: accountId })),
      ),
    ]);
  const [policy, ownership, blocksAhead, encryption] = await Promise.all([
    reading.attempt('bucket-policy', 's3:GetBucketPolicy', name, () => s3.send(new GetBucketPolicyCommand({ Bucket: name, ...owner }))),
    reading.attempt('object-ownership', 's3:GetBucketOwnershipControls', name, () =>
      s3.send(new GetBucketOwnershipControlsCommand({ Bucket: name, ...owner })),
    ),
    target.needsPublicAccessBlock ? readBlocks() : null,
    reading.attempt('kms-key-policy', 's3:GetEncryptionConfiguration', name, () =>
      s3.send(new GetBucketEncryptionCommand({ Bucket: name, ...owner })),
    ),
  ]);
  const objectOwnership = ownership?.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null;
  // With ACLs disabled the ACL decides nothing, so it is not worth a call.
  const acl =
    objectOwnership === 'BucketOwnerEnforced'
      ? null
      : await reading.attempt('bucket-acl', 's3:GetBucketAcl', name, () => s3.send(new GetBucketAclCommand({ Bucket: name, ...owner })));

  // Not read, the settings are left out (unknown); read and not configured, they are null.
  const blocks = blocksAhead ?? (grantsPublicWrite(acl?.Grants) ? await readBlocks() : null);
  const bucketPolicy = policy?.Policy ? reading.document('bucket-policy', 'the bucket policy', policy.Policy, false) : null;
  const byDefault = encryption?.ServerSideEncryptionConfiguration?.Rules?.[0];
  return {
    name,
    arn: s3Arn(partitionOfRegion(target.region), name),
    accountId,
    region: target.region,
    ...(acl?.Owner?.ID ? { ownerCanonicalId: acl.Owner.ID } : {}),
    policy: bucketPolicy,
    objectOwnership: objectOwnership as BucketSnapshot['objectOwnership'],
    ...(blocks
      ? {
          publicAccessBlock: publicAccessBlockOf(blocks[0]?.PublicAccessBlockConfiguration),
          accountPublicAccessBlock: publicAccessBlockOf(blocks[1]?.PublicAccessBlockConfiguration),
        }
      : {}),
    defaultEncryption: byDefault?.ApplyServerSideEncryptionByDefault
      ? {
          sseAlgorithm: byDefault.ApplyServerSideEncryptionByDefault.SSEAlgorithm as NonNullable<
            BucketSnapshot['defaultEncryption']
          >['sseAlgorithm'],
          ...(byDefault.ApplyServerSideEncryptionByDefault.KMSMasterKeyID
            ? { kmsMasterKeyId: byDefault.ApplyServerSideEncryptionByDefault.KMSMasterKeyID }
            : {}),
          bucketKeyEnabled: byDefault.BucketKeyEnabled === true,
        }
      : null,
    acl: acl
      ? {
          grants: (acl.Grants ?? []).map((g) => ({
            grantee: {
              type: g.Grantee?.Type ?? 'Unknown',
              ...(g.Grantee?.ID ? { id: g.Grantee.ID } : {}),
              ...(g.Grantee?.URI ? { uri: g.Grantee.URI } : {}),
            },
            permission: g.Permission ?? '',
          })),
        }
      : null,
  };
}
