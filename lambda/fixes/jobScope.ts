/**
 * What a grant covers: the job, not the one object that failed. An upload job writes one folder
 * (`daily/2026-11-20.csv` today, `daily/2026-11-21.csv` tomorrow), so an object grant names the key's
 * folder; a key at the bucket's root keeps its exact ARN.
 *
 * The key is the uploader's text, and IAM reads `*`, `?` and `${…}` in a Resource as wildcards and
 * variables: every character that came from the key is written as the variable that stands for it
 * (`${*}`, `${?}`, `${$}`), so only the folder's trailing `*` is ours.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
 */
import { parseS3Arn, partitionOfArn, s3Arn } from '../policy/arns';

/** @example literalInPolicy('incoming/*') // 'incoming/${*}' */
export function literalInPolicy(text: string): string {
  return text.replace(/[*?$]/g, (character) => `\${${character}}`);
}

/** The folder of a key, with its trailing `/`; null at the bucket's root. @example folderOf('daily/a.csv') // 'daily/' */
export function folderOf(key: string): string | null {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? null : key.slice(0, slash + 1);
}

export interface JobScope {
  /** The ARN pattern a grant names: the folder's objects, or the one object at the root. */
  resource: string;
  /** How far it reaches, in words: `any object under daily/ in acme-reports`. */
  breadth: string;
}

/** @example jobScopeOf('aws', 'acme-reports', 'daily/2026-11-20.csv').resource // 'arn:aws:s3:::acme-reports/daily/*' */
export function jobScopeOf(partition: string, bucket: string, key: string): JobScope {
  const folder = folderOf(key);
  if (folder === null) return { resource: s3Arn(partition, bucket, literalInPolicy(key)), breadth: `only the object ${key} in ${bucket}` };
  return { resource: s3Arn(partition, bucket, `${literalInPolicy(folder)}*`), breadth: `any object under ${folder} in ${bucket}` };
}

/** An object ARN's job scope; any other ARN (a key, a bucket) is granted as it is. */
export function jobScopeOfArn(arn: string): JobScope | null {
  const parsed = parseS3Arn(arn);
  if (!parsed?.key) return null;
  return jobScopeOf(partitionOfArn(arn) ?? 'aws', parsed.bucket, parsed.key);
}

/**
 * Does an S3 Resource we wrote hold a wildcard or variable that came from the key? The only wildcard it
 * may hold is the folder's trailing `*`; the escapes `${*}`, `${?}`, `${$}` are literal characters.
 * @example wildcardFromKey('arn:aws:s3:::b/in*coming/x') // true
 */
export function wildcardFromKey(resource: string): boolean {
  const parsed = parseS3Arn(resource);
  if (!parsed?.key) return false;
  const unescaped = parsed.key.replace(/\$\{[*?$]\}/g, '');
  const body = /(^|\/)\*$/.test(unescaped) ? unescaped.slice(0, -1) : unescaped;
  return /[*?]|\$\{/.test(body);
}
