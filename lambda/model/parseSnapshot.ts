/**
 * A snapshot from a file or the collectors, checked against the contract before the engine trusts it.
 * Policy documents are only checked for shape here; a broken one makes its layer not visible later.
 */
// zod/mini, as for CloudTrail records: the full build was in the Lambda bundle only for this schema.
import { en } from 'zod/locales';
import { z } from 'zod/mini';
import type { AccountSnapshot } from './snapshot';
import { SnapshotError } from './snapshotError';

const text = z.string();
const optionalText = z.optional(text);
const optionalFlag = z.optional(z.boolean());
const policyDocument = z.looseObject({ Statement: z.union([z.array(z.unknown()), z.record(text, z.unknown())]) });
const namedPolicy = { name: optionalText, arn: optionalText, document: policyDocument };
const publicAccessBlock = z.looseObject({
  blockPublicAcls: optionalFlag,
  ignorePublicAcls: optionalFlag,
  blockPublicPolicy: optionalFlag,
  restrictPublicBuckets: optionalFlag,
});
const orgLevel = z.looseObject({
  target: text,
  policies: z.array(z.looseObject({ id: optionalText, name: optionalText, document: policyDocument })),
});

const snapshotSchema = z.looseObject({
  snapshotVersion: z.literal(1),
  capturedAt: text,
  principal: z.looseObject({
    arn: z.nullable(text),
    principalId: optionalText,
    kind: z.enum(['role', 'user', 'root', 'federated-user', 'service', 'anonymous', 'account', 'unknown']),
    accountId: text,
    tags: z.nullish(z.record(text, text)),
    policies: z.nullish(
      z.array(
        z.looseObject({
          ...namedPolicy,
          source: z.enum(['inline', 'managed', 'group-inline', 'group-managed']),
          name: text,
          group: optionalText,
        }),
      ),
    ),
    permissionsBoundary: z.nullish(z.looseObject(namedPolicy)),
  }),
  session: z.nullish(
    z.looseObject({
      policies: z.optional(z.array(z.looseObject(namedPolicy))),
      tags: z.optional(z.record(text, text)),
      source: optionalText,
    }),
  ),
  bucket: z.looseObject({
    name: text,
    accountId: text,
    arn: optionalText,
    region: optionalText,
    ownerCanonicalId: optionalText,
    policy: z.nullish(policyDocument),
    objectOwnership: z.nullish(z.enum(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'])),
    publicAccessBlock: z.nullish(publicAccessBlock),
    accountPublicAccessBlock: z.nullish(publicAccessBlock),
    defaultEncryption: z.nullish(
      z.looseObject({
        sseAlgorithm: z.optional(z.enum(['AES256', 'aws:kms', 'aws:kms:dsse'])),
        kmsMasterKeyId: optionalText,
        bucketKeyEnabled: optionalFlag,
      }),
    ),
    acl: z.nullish(
      z.looseObject({ grants: z.optional(z.array(z.looseObject({ grantee: z.looseObject({ type: text }), permission: text }))) }),
    ),
  }),
  kmsKeys: z.optional(
    z.array(
      z.looseObject({
        arn: text,
        accountId: text,
        aliases: z.optional(z.array(text)),
        keyManager: z.optional(z.enum(['AWS', 'CUSTOMER'])),
        keyState: text,
        policy: z.nullish(policyDocument),
        grants: z.optional(z.array(z.looseObject({}))),
        tags: z.optional(z.record(text, text)),
        rcpLevels: z.optional(z.array(orgLevel)),
      }),
    ),
  ),
  organization: z.nullish(
    z.looseObject({
      id: optionalText,
      managementAccountId: optionalText,
      memberAccountIds: z.optional(z.array(text)),
      scpLevels: z.optional(z.array(orgLevel)),
      rcpLevels: z.optional(z.array(orgLevel)),
    }),
  ),
  vpcEndpoints: z.optional(z.array(z.looseObject({ id: text, policy: z.nullish(policyDocument) }))),
  unseen: z.array(z.looseObject({ layer: text, reason: text })),
  evidence: z.optional(z.array(z.looseObject({ source: text, errorMessage: text }))),
});

/** @example parseSnapshot(JSON.parse(readFileSync('snapshot.json', 'utf8'))) */
export function parseSnapshot(value: unknown): AccountSnapshot {
  // Messages in words ("expected string, received number") for this parse only; mini ships none by default.
  const checked = snapshotSchema.safeParse(value, { error: en().localeError });
  if (!checked.success) {
    const issues = checked.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new SnapshotError(`not a why-denied snapshot (${issues})`);
  }
  return checked.data as AccountSnapshot;
}
