/**
 * CloudTrail digest files: written beside the logs whenever log file validation is on, under
 * `AWSLogs/<account>/CloudTrail-Digest/…`, each a JSON object of hashes (`digestStartTime`, `logFiles`, …)
 * with no Records. They hold no events: a replay counts them apart instead of reporting each as bad.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
 */

/** By where the trail puts it: a `CloudTrail-Digest` folder or file name. */
export function isDigestPath(path: string): boolean {
  return /(^|[\\/_])CloudTrail-Digest([\\/_]|$)/.test(path);
}

/** By its shape, wherever it was copied to. */
export function isDigestDocument(document: unknown): boolean {
  const fields = document as Record<string, unknown> | null;
  return typeof fields === 'object' && fields !== null && !('Records' in fields) && 'digestStartTime' in fields && 'logFiles' in fields;
}
