/**
 * The partition a region belongs to, for the ARNs the collectors build (the read-only role to assume).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}
