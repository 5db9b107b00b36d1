/** A request change as a person reads it: `x-amz-acl: bucket-owner-full-control`, `no x-amz-grant-read`, `aws:SecureTransport = true`. */
import type { RequestChange } from './diagnosis';

export function requestChangeWords(change: RequestChange): string {
  const set = Object.entries(change.setHeaders ?? {}).map(([header, value]) => `${header}: ${value}`);
  const removed = (change.removeHeaders ?? []).map((header) => `no ${header}`);
  const context = Object.entries(change.setContext ?? {}).map(([key, value]) => `${key} = ${value}`);
  return [...set, ...removed, ...context].join(', ');
}
