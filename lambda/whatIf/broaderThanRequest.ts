/**
 * Does a patch grant more than the job it was made for? Its statements are asked about neighbours of the
 * request — another action, another object, another folder, another bucket, another principal — and every
 * neighbour they would allow is reported. The next object of the same folder is the job's next upload: a
 * grant is meant to allow it (`intended`), and one that does not is too narrow to be the fix.
 */
import { partitionOfArn, parseS3Arn, s3Arn } from '../policy/arns';
import type { PolicyPatch } from '../model/diagnosis';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import type { AuthorizationQuery } from '../policy/types';
import { folderOf } from '../fixes/jobScope';

const RESOURCE_POLICIES = new Set(['bucket-policy', 'kms-key-policy', 'vpc-endpoint-policy', 'rcp']);

export interface Neighbour {
  what: string;
  query: AuthorizationQuery;
  /** The job's own next request: a grant for the job allows it. */
  intended?: true;
}

/**
 * Objects beside the request's: the next one in its folder (intended), one in another folder, and — when the
 * folder holds `*` or `?` — one in a folder those characters would match if they were read as wildcards.
 */
function objectNeighbours(objectArn: string): { what: string; arn: string; intended?: true }[] {
  const object = parseS3Arn(objectArn);
  if (!object?.key) return [];
  const partition = partitionOfArn(objectArn) ?? 'aws';
  const folder = folderOf(object.key);
  const list: { what: string; arn: string; intended?: true }[] = [
    { what: 'an object in another folder of the same bucket', arn: s3Arn(partition, object.bucket, 'why-denied-probe/other-object') },
    { what: 'an object in another bucket', arn: s3Arn(partition, 'why-denied-probe-other-bucket', 'object') },
  ];
  if (folder === null) {
    list.push({
      what: 'another object at the root of the same bucket',
      arn: s3Arn(partition, object.bucket, `${object.key}-why-denied-probe`),
    });
    return list;
  }
  list.unshift({
    what: `the next object under ${folder}`,
    arn: s3Arn(partition, object.bucket, `${folder}why-denied-probe-next`),
    intended: true,
  });
  if (/[*?]/.test(folder)) {
    const lookalike = folder.replace(/\*/g, 'why-denied-probe').replace(/\?/g, 'Q');
    list.push({
      what: `an object under ${lookalike}, which ${folder} would match as a wildcard`,
      arn: s3Arn(partition, object.bucket, `${lookalike}other-object`),
    });
  }
  return list;
}

/** Identity-side policies only ever apply to their own principal, so only resource policies can reach another. */
function neighbours(query: AuthorizationQuery, resourcePolicy: boolean): Neighbour[] {
  const isKms = query.action.startsWith('kms:');
  const otherAction = isKms ? 'kms:Encrypt' : 's3:DeleteObject';
  const list: Neighbour[] = [{ what: `${otherAction} on the same resource`, query: { ...query, action: otherAction } }];
  if (resourcePolicy) {
    const accountId = query.principal.accountId;
    const partition = partitionOfArn(query.resource) ?? 'aws';
    list.push({
      what: 'another principal in the same account',
      query: { ...query, principal: { arn: `arn:${partition}:iam::${accountId}:role/why-denied-probe`, accountId } },
    });
  }
  if (!isKms) {
    for (const object of objectNeighbours(query.resource)) list.push({ ...object, query: { ...query, resource: object.arn } });
    return list;
  }
  const contextArn = query.context['kms:EncryptionContext:aws:s3:arn'];
  if (typeof contextArn === 'string') {
    for (const object of objectNeighbours(contextArn)) {
      list.push({
        ...object,
        what: `the key used for ${object.what}`,
        query: { ...query, context: { ...query.context, 'kms:EncryptionContext:aws:s3:arn': object.arn } },
      });
    }
  }
  return list;
}

/** The neighbours of the request that the patch's statements would allow, with the query of each. */
export function neighboursAllowed(patch: PolicyPatch, query: AuthorizationQuery): Neighbour[] {
  const document = { Version: '2012-10-17', Statement: patch.Statement };
  const principalRequired = RESOURCE_POLICIES.has(patch.layer);
  return neighbours(query, principalRequired).filter((n) => evaluatePolicy(document, n.query, { principalRequired }).decision === 'allow');
}

/** @example broaderThanRequest(fix.policyPatch, authorization.query) // [] when the patch grants the job alone */
export function broaderThanRequest(patch: PolicyPatch, query: AuthorizationQuery): string[] {
  return neighboursAllowed(patch, query)
    .filter((n) => !n.intended)
    .map((n) => n.what);
}
