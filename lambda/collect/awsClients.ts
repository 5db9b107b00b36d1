/**
 * SDK clients per account: the home account's credentials from the standard chain, and for another
 * account an optional read-only role there. The SDK's standard retry strategy handles throttling; the
 * connection and socket timeouts keep a hung endpoint from eating the invocation's deadline. IAM and
 * Organizations take the home region too: the SDK resolves each partition's global endpoint from it.
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
import { runtimeEc2 } from './runtimeEc2';

export interface AwsClients {
  iam: IAMClient;
  s3: S3Client;
  s3control: S3ControlClient;
  kms: KMSClient;
  organizations: OrganizationsClient;
  /**
   * Loaded on first use, from the Lambda runtime's SDK rather than the bundle (see `lib/serviceFunction.ts`):
   * only requests through a VPC endpoint need it, and it alone was 1.2 MB and ~330 ms of load.
   */
  ec2: () => Promise<EC2Client>;
  cloudtrail: CloudTrailClient;
  /** CloudTrail of another region: sessions from the global STS endpoint are logged in its home region. */
  cloudtrailIn: (region: string) => CloudTrailClient;
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
  let ec2: Promise<EC2Client> | null = null;
  const cloudtrail = new CloudTrailClient(config);
  const otherRegions = new Map<string, CloudTrailClient>();
  return {
    iam: new IAMClient(config),
    // A bucket in another region answers with a redirect; the client follows it instead of failing.
    s3: new S3Client({ ...config, followRegionRedirects: true }),
    s3control: new S3ControlClient(config),
    kms: new KMSClient(config),
    organizations: new OrganizationsClient(config),
    ec2: () => {
      // The runtime's SDK may be another release than ours: it gets the handler's settings, not our handler object.
      ec2 ??= Promise.resolve().then(() => {
        const { EC2Client } = runtimeEc2();
        return new EC2Client({
          ...config,
          requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
        });
      });
      return ec2;
    },
    cloudtrail,
    cloudtrailIn: (region) => {
      if (region === config.region) return cloudtrail;
      const known = otherRegions.get(region) ?? new CloudTrailClient({ ...config, region });
      otherRegions.set(region, known);
      return known;
    },
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
