/**
 * SDK clients per account: the home account's credentials from the standard chain, and for another
 * account an optional read-only role there. The SDK's standard retry strategy handles throttling; the
 * connection and socket timeouts keep a hung endpoint from eating the invocation's deadline. IAM and
 * Organizations take the home region too: the SDK resolves each partition's global endpoint from it.
 * KMS keys, VPC endpoints and CloudTrail's event history are regional: they are asked in the region the
 * thing lives in (a forwarded record's region is not the home region). S3 follows a bucket's redirect.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { partitionOfRegion } from '../policy/arns';
import { oncePerKey } from './oncePerKey';
import { runtimeEc2 } from './runtimeEc2';

export interface AwsClients {
  iam: IAMClient;
  s3: S3Client;
  s3control: S3ControlClient;
  /** A key is used, and read, in its own region. */
  kms: (region: string) => KMSClient;
  organizations: OrganizationsClient;
  /**
   * Loaded on first use, from the Lambda runtime's SDK rather than the bundle (see `lib/serviceFunction.ts`):
   * only requests through a VPC endpoint need it, and it alone was 1.2 MB and ~330 ms of load.
   */
  ec2: (region: string) => Promise<EC2Client>;
  /** A region's event history: each region's trail records the calls made there. */
  cloudtrail: (region: string) => CloudTrailClient;
}

export interface AccountAccess {
  homeAccountId: string;
  region: string;
  profile?: string;
  /** Name of a read-only role to assume in other accounts (`arn:<partition>:iam::<account>:role/<name>`). */
  crossAccountRoleName?: string;
  /** The external id that role's trust policy requires. */
  crossAccountExternalId?: string;
  maxAttempts?: number;
}

/** Milliseconds: a connection, and a request once connected. Three attempts of these fit a 60 s invocation. */
export const CONNECTION_TIMEOUT_MS = 3_000;
export const REQUEST_TIMEOUT_MS = 10_000;

/** The settings every client shares; each client takes them as its own config type. */
interface SharedConfig {
  region: string;
  maxAttempts: number;
  retryMode: 'standard';
  credentials: ReturnType<typeof fromNodeProviderChain>;
  requestHandler: NodeHttpHandler;
}

function clientsWith(config: SharedConfig): AwsClients {
  return {
    iam: new IAMClient(config),
    // A bucket in another region answers with a redirect; the client follows it instead of failing.
    s3: new S3Client({ ...config, followRegionRedirects: true }),
    s3control: new S3ControlClient(config),
    kms: oncePerKey((region) => new KMSClient({ ...config, region })),
    organizations: new OrganizationsClient(config),
    ec2: oncePerKey((region) =>
      // The runtime's SDK may be another release than ours: it gets the handler's settings, not our handler object.
      Promise.resolve().then(() => {
        const { EC2Client } = runtimeEc2();
        return new EC2Client({
          ...config,
          region,
          requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
        });
      }),
    ),
    cloudtrail: oncePerKey((region) => new CloudTrailClient({ ...config, region })),
  };
}

/** @returns a function giving each account's clients, or null when that account cannot be reached */
export function accountClients(access: AccountAccess): (accountId: string) => AwsClients | null {
  const home = fromNodeProviderChain(access.profile ? { profile: access.profile } : {});
  const base = {
    region: access.region,
    maxAttempts: access.maxAttempts ?? 3,
    retryMode: 'standard' as const,
    requestHandler: new NodeHttpHandler({ connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS }),
  };
  const byAccount = new Map<string, AwsClients>([[access.homeAccountId, clientsWith({ ...base, credentials: home })]]);
  return (accountId) => {
    const known = byAccount.get(accountId);
    if (known) return known;
    if (!access.crossAccountRoleName) return null;
    const credentials = fromTemporaryCredentials({
      masterCredentials: home,
      params: {
        RoleArn: `arn:${partitionOfRegion(access.region)}:iam::${accountId}:role/${access.crossAccountRoleName}`,
        RoleSessionName: 'why-denied-collect',
        ...(access.crossAccountExternalId ? { ExternalId: access.crossAccountExternalId } : {}),
      },
      clientConfig: { region: access.region, requestHandler: base.requestHandler },
    });
    const clients = clientsWith({ ...base, credentials });
    byAccount.set(accountId, clients);
    return clients;
  };
}
