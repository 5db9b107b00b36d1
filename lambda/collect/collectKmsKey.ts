/**
 * The KMS key an upload used (by id, ARN or alias): its metadata, key policy, grants and aliases.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Operations.html
 */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  type KMSClient,
  paginateListAliases,
  paginateListGrants,
  paginateListResourceTags,
} from '@aws-sdk/client-kms';
import type { KmsKeySnapshot } from '../model/snapshot';
import { allPages } from './allPages';
import type { Reading } from './Reading';

const KEY_ARN = /^arn:[\w-]+:kms:[\w-]+:\d{12}:key\/([\w-]+)$/;

/** The key's policy, grants, aliases and tags, read at once. */
async function keyReads(kms: KMSClient, arn: string, keyId: string, reading: Reading) {
  // Tags matter only to policies that test them (KMS ABAC): a key whose tags cannot be read is not unseen for it.
  const tagReading = reading.branch();
  const reads = await Promise.all([
    reading.attempt('kms-key-policy', 'kms:GetKeyPolicy', arn, () =>
      kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' })),
    ),
    reading.attempt('kms-grant', 'kms:ListGrants', arn, () =>
      allPages(paginateListGrants({ client: kms }, { KeyId: arn }), (p) => p.Grants),
    ),
    reading.attempt('kms-key-policy', 'kms:ListAliases', arn, () =>
      allPages(paginateListAliases({ client: kms }, { KeyId: keyId }), (p) => p.Aliases),
    ),
    tagReading.attempt('kms-key-policy', 'kms:ListResourceTags', arn, () =>
      allPages(paginateListResourceTags({ client: kms }, { KeyId: arn }), (p) => p.Tags),
    ),
  ]);
  reading.adopt(tagReading, { unseen: false });
  return reads;
}

/**
 * @param key a key id or alias names a key only within its account and region: they are part of what is cached
 * @example await collectKmsKey(kms, { reference: 'alias/reports', account: '111122223333', region: 'eu-west-1' }, reading)
 */
export async function collectKmsKey(
  kms: KMSClient,
  key: { reference: string; account: string; region: string },
  reading: Reading,
): Promise<KmsKeySnapshot | null> {
  const { reference } = key;
  const describing = reading.attempt('kms-key-policy', 'kms:DescribeKey', `${key.account}|${key.region}|${reference}`, () =>
    kms.send(new DescribeKeyCommand({ KeyId: reference })),
  );
  // A key named by its ARN (as a bucket's default usually names it) needs DescribeKey for nothing the other
  // reads ask: they go out beside it. An alias or a bare id is resolved first.
  const named = KEY_ARN.exec(reference);
  const readingAhead = named ? keyReads(kms, reference, named[1] as string, reading) : null;
  const metadata = (await describing)?.KeyMetadata;
  if (!metadata?.Arn || !metadata.KeyId) return null;
  const arn = metadata.Arn;
  const [policy, grants, aliases, tags] = await (readingAhead ?? keyReads(kms, arn, metadata.KeyId, reading));
  const keyPolicy = policy?.Policy ? reading.document('kms-key-policy', 'the key policy', policy.Policy, false) : null;
  return {
    arn,
    accountId: metadata.AWSAccountId ?? arn.split(':')[4] ?? '',
    aliases: (aliases ?? []).flatMap((a) => (a.AliasName ? [a.AliasName] : [])),
    ...(tags ? { tags: Object.fromEntries(tags.flatMap((t) => (t.TagKey ? [[t.TagKey, t.TagValue ?? '']] : []))) } : {}),
    keyManager: metadata.KeyManager === 'AWS' ? 'AWS' : 'CUSTOMER',
    keyState: metadata.KeyState ?? 'Unknown',
    policy: keyPolicy,
    grants: (grants ?? []).map((g) => ({
      ...(g.GrantId ? { grantId: g.GrantId } : {}),
      ...(g.GranteePrincipal ? { granteePrincipal: g.GranteePrincipal } : {}),
      operations: g.Operations ?? [],
      ...(g.Constraints
        ? {
            constraints: {
              ...(g.Constraints.EncryptionContextEquals ? { encryptionContextEquals: g.Constraints.EncryptionContextEquals } : {}),
              ...(g.Constraints.EncryptionContextSubset ? { encryptionContextSubset: g.Constraints.EncryptionContextSubset } : {}),
            },
          }
        : {}),
    })),
  };
}
