/**
 * A bucket policy that lives behind a mocked S3 client: Put and Delete change what the next Get returns,
 * so an apply, its read-back and a rollback see each other's writes as they would in the account.
 */
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  type S3Client,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import type { AwsStub } from 'aws-sdk-client-mock';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import { awsError } from '../collect/fakeAccount';

export class LiveBucketPolicy {
  /** The policy document as S3 would return it; null when the bucket has none. */
  document: string | null;

  constructor(document: unknown) {
    this.document = JSON.stringify(document);
  }

  /** Answers the stub's policy calls from this document. */
  serve(s3: AwsStub<ServiceInputTypes, ServiceOutputTypes, S3Client['config']>): void {
    s3.on(GetBucketPolicyCommand).callsFake(async () => {
      if (this.document === null) throw awsError('NoSuchBucketPolicy');
      return { Policy: this.document };
    });
    s3.on(PutBucketPolicyCommand).callsFake(async (input: { Policy: string }) => {
      this.document = input.Policy;
      return {};
    });
    s3.on(DeleteBucketPolicyCommand).callsFake(async () => {
      this.document = null;
      return {};
    });
  }

  /** The account as the collectors would read it now. */
  in(account: AccountSnapshot): AccountSnapshot {
    return { ...account, bucket: { ...account.bucket, policy: this.document === null ? null : JSON.parse(this.document) } };
  }
}
