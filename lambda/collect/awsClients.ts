/**
 * SDK clients per account: the home account's credentials from the standard chain, and for another
 * account an optional read-only role there. The SDK's standard retry strategy handles throttling.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';

export interface AwsClients {
  iam: IAMClient;
  s3: S3Client;
  s3control: S3ControlClient;
  kms: KMSClient;
  organizations: OrganizationsClient;
  /** Loaded on first use: only requests through a VPC endpoint need it, and it alone took ~330 ms to load. */
  ec2: () => Promise<EC2Client>;
  cloudtrail: CloudTrailClient;
}

export interface AccountAccess {
  homeAccountId: string;
  region: string;
  profile?: string;
  /** Name of a read-only role to assume in other accounts (`arn:aws:iam::<account>:role/<name>`). */
  crossAccountRoleName?: string;
  maxAttempts?: number;
}

/** The settings every client shares; each client takes them as its own config type. */
interface SharedConfig {
  region: string;
  maxAttempts: number;
  retryMode: 'standard';
  credentials: ReturnType<typeof fromNodeProviderChain>;
}

function clientsWith(config: SharedConfig): AwsClients {
  let ec2: Promise<EC2Client> | null = null;
  return {
    iam: new IAMClient({ ...config, region: 'us-east-1' }),
    s3: new S3Client(config),
    s3control: new S3ControlClient(config),
    kms: new KMSClient(config),
    organizations: new OrganizationsClient({ ...config, region: 'us-east-1' }),
    ec2: () => {
      ec2 ??= import('@aws-sdk/client-ec2').then(({ EC2Client }) => new EC2Client(config));
      return ec2;
    },
    cloudtrail: new CloudTrailClient(config),
  };
}

/** @returns a function giving each account's clients, or null when that account cannot be reached */
export function accountClients(access: AccountAccess): (accountId: string) => AwsClients | null {
  const home = fromNodeProviderChain(access.profile ? { profile: access.profile } : {});
  const base = { region: access.region, maxAttempts: access.maxAttempts ?? 4, retryMode: 'standard' as const };
  const byAccount = new Map<string, AwsClients>([[access.homeAccountId, clientsWith({ ...base, credentials: home })]]);
  return (accountId) => {
    const known = byAccount.get(accountId);
    if (known) return known;
    if (!access.crossAccountRoleName) return null;
    const credentials = fromTemporaryCredentials({
      masterCredentials: home,
      params: { RoleArn: `arn:aws:iam::${accountId}:role/${access.crossAccountRoleName}`, RoleSessionName: 'why-denied-collect' },
      clientConfig: { region: access.region },
    });
    const clients = clientsWith({ ...base, credentials });
    byAccount.set(accountId, clients);
    return clients;
  };
}
