/** The SDK clients the remediator writes with: its own, from its own narrowly scoped role. */
import type { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';

export interface RemediationClients {
  s3: S3Client;
  iam: IAMClient;
  /** The client for a key's region (see keyClients). */
  kms: (keyId: string) => KMSClient;
  ec2: EC2Client;
  analyzer: AccessAnalyzerClient;
}
