/**
 * Does a patch grant more than the request it was made for? Its statements are asked about neighbours of
 * that request — another action, another object, another bucket, another principal — and every neighbour
 * they would allow is reported.
 */
import { partitionOfArn, s3Arn } from '../model/arns';
import type { PolicyPatch } from '../model/diagnosis';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import type { AuthorizationQuery } from '../policy/types';

const RESOURCE_POLICIES = new Set(['bucket-policy', 'kms-key-policy', 'vpc-endpoint-policy', 'rcp']);

/** Identity-side policies only ever apply to their own principal, so only resource policies can reach another. */
function neighbours(query: AuthorizationQuery, resourcePolicy: boolean): { what: string; query: AuthorizationQuery }[] {
  const isKms = query.action.startsWith('kms:');
  const partition = partitionOfArn(query.resource) ?? 'aws';
  const otherBucketObject = s3Arn(partition, 'why-denied-probe-other-bucket', 'object');
  const otherAction = isKms ? 'kms:Encrypt' : 's3:DeleteObject';
  const list = [{ what: `${otherAction} on the same resource`, query: { ...query, action: otherAction } }];
  if (resourcePolicy) {
    const accountId = query.principal.accountId;
    list.push({
      what: 'another principal in the same account',
      query: { ...query, principal: { arn: `arn:${partition}:iam::${accountId}:role/why-denied-probe`, accountId } },
    });
  }
  if (!isKms) {
    const bucketArn = query.resource.split('/')[0] ?? query.resource;
    list.push(
      { what: 'another object in the same bucket', query: { ...query, resource: `${bucketArn}/why-denied-probe/other-object` } },
      { what: 'an object in another bucket', query: { ...query, resource: otherBucketObject } },
    );
  } else {
    const arn = query.context['kms:EncryptionContext:aws:s3:arn'];
    if (typeof arn === 'string') {
      list.push({
        what: 'the key used for another object',
        query: {
          ...query,
          context: { ...query.context, 'kms:EncryptionContext:aws:s3:arn': otherBucketObject },
        },
      });
    }
  }
  return list;
}

export interface AllowedNeighbour {
  what: string;
  query: AuthorizationQuery;
}

/** The neighbours of the request that the patch's statements would allow, with the query of each. */
export function neighboursAllowed(patch: PolicyPatch, query: AuthorizationQuery): AllowedNeighbour[] {
  const document = { Version: '2012-10-17', Statement: patch.Statement };
  const principalRequired = RESOURCE_POLICIES.has(patch.layer);
  return neighbours(query, principalRequired).filter((n) => evaluatePolicy(document, n.query, { principalRequired }).decision === 'allow');
}

/** @example broaderThanRequest(fix.policyPatch, authorization.query) // [] when the patch is exact */
export function broaderThanRequest(patch: PolicyPatch, query: AuthorizationQuery): string[] {
  return neighboursAllowed(patch, query).map((n) => n.what);
}
