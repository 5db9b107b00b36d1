import { partitionOfRegion } from '../policy/arns';

/**
 * Where the partition's global STS endpoint logs the sessions it issues.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html#stscloudtrailregion
 */
export function globalStsRegionOf(region: string): string {
  const partition = partitionOfRegion(region);
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  if (partition === 'aws-cn') return 'cn-north-1';
  return 'us-east-1';
}
