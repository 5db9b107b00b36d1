/**
 * A snapshot from a file or the collectors, checked against the contract before the engine trusts it.
 * Policy documents are only checked for shape here; a broken one makes its layer not visible later.
 */
import { z } from 'zod';
import type { AccountSnapshot } from './snapshot';

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

const policyDocument = z.looseObject({ Statement: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]) });
const namedPolicy = z.looseObject({ name: z.string().optional(), arn: z.string().optional(), document: policyDocument });
const publicAccessBlock = z.looseObject({
  blockPublicAcls: z.boolean().optional(),
  ignorePublicAcls: z.boolean().optional(),
  blockPublicPolicy: z.boolean().optional(),
  restrictPublicBuckets: z.boolean().optional(),
});
const orgLevel = z.looseObject({
  target: z.string(),
  policies: z.array(z.looseObject({ id: z.string().optional(), name: z.string().optional(), document: policyDocument })),
});

const snapshotSchema = z.looseObject({
  snapshotVersion: z.literal(1),
  capturedAt: z.string(),
  principal: z.looseObject({
    arn: z.string().nullable(),
    principalId: z.string().optional(),
    kind: z.enum(['role', 'user', 'root', 'federated-user', 'service', 'anonymous', 'account', 'unknown']),
    accountId: z.string(),
    tags: z.record(z.string(), z.string()).nullish(),
    policies: z
      .array(
        namedPolicy.extend({
          source: z.enum(['inline', 'managed', 'group-inline', 'group-managed']),
          name: z.string(),
          group: z.string().optional(),
        }),
      )
      .nullish(),
    permissionsBoundary: namedPolicy.nullish(),
  }),
  session: z
    .looseObject({
      policies: z.array(namedPolicy).optional(),
      tags: z.record(z.string(), z.string()).optional(),
      source: z.string().optional(),
    })
    .nullish(),
  bucket: z.looseObject({
    name: z.string(),
    accountId: z.string(),
    arn: z.string().optional(),
    region: z.string().optional(),
    ownerCanonicalId: z.string().optional(),
    policy: policyDocument.nullish(),
    objectOwnership: z.enum(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']).nullish(),
    publicAccessBlock: publicAccessBlock.nullish(),
    accountPublicAccessBlock: publicAccessBlock.nullish(),
    defaultEncryption: z
      .looseObject({
        sseAlgorithm: z.enum(['AES256', 'aws:kms', 'aws:kms:dsse']).optional(),
        kmsMasterKeyId: z.string().optional(),
        bucketKeyEnabled: z.boolean().optional(),
      })
      .nullish(),
    acl: z
      .looseObject({ grants: z.array(z.looseObject({ grantee: z.looseObject({ type: z.string() }), permission: z.string() })).optional() })
      .nullish(),
  }),
  kmsKeys: z
    .array(
      z.looseObject({
        arn: z.string(),
        accountId: z.string(),
        aliases: z.array(z.string()).optional(),
        keyManager: z.enum(['AWS', 'CUSTOMER']).optional(),
        keyState: z.string(),
        policy: policyDocument.nullish(),
        grants: z.array(z.looseObject({})).optional(),
      }),
    )
    .optional(),
  organization: z
    .looseObject({
      id: z.string().optional(),
      memberAccountIds: z.array(z.string()).optional(),
      scpLevels: z.array(orgLevel).optional(),
      rcpLevels: z.array(orgLevel).optional(),
    })
    .nullish(),
  vpcEndpoints: z.array(z.looseObject({ id: z.string(), policy: policyDocument.nullish() })).optional(),
  unseen: z.array(z.looseObject({ layer: z.string(), reason: z.string() })),
  evidence: z.array(z.looseObject({ source: z.string(), errorMessage: z.string() })).optional(),
});

/** @example parseSnapshot(JSON.parse(readFileSync('snapshot.json', 'utf8'))) */
export function parseSnapshot(value: unknown): AccountSnapshot {
  const checked = snapshotSchema.safeParse(value);
  if (!checked.success) {
    const issues = checked.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new SnapshotError(`not a why-denied snapshot (${issues})`);
  }
  return checked.data as AccountSnapshot;
}
