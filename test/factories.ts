/** Realistic CloudTrail records and snapshots, with only what a test is about spelled out. */
import type { PolicyDocument, Statement } from '../lambda';
import type { AccountSnapshot } from '../lambda/model/snapshot';

export const ACCOUNT = '555566667777';
export const OTHER_ACCOUNT = '888899990000';
export const BUCKET = 'contoso-media-uploads';
export const KEY = 'incoming/2026/clip-0042.mp4';
export const OBJECT_ARN = `arn:aws:s3:::${BUCKET}/${KEY}`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/MediaIngest`;
export const SESSION_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/MediaIngest/ingest-worker-7`;
export const KMS_KEY_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:key/2f7e6d5c-4b3a-4291-8e7f-6a5b4c3d2e1f`;

export type Json = Record<string, unknown>;

export function roleIdentity(account = ACCOUNT, role = 'MediaIngest', session = 'ingest-worker-7'): Json {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLEMEDIA:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    accountId: account,
    accessKeyId: 'ASIAEXAMPLEMEDIA1234',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLEMEDIA',
        arn: `arn:aws:iam::${account}:role/${role}`,
        accountId: account,
        userName: role,
      },
      attributes: { creationDate: '2026-11-21T07:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

export function s3Record(overrides: Json = {}, params: Json = {}): Json {
  return {
    eventVersion: '1.10',
    userIdentity: roleIdentity(),
    eventTime: '2026-11-21T07:12:30Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'PutObject',
    awsRegion: 'us-west-2',
    sourceIPAddress: '192.0.2.10',
    userAgent: '[aws-sdk-js/3.700.0]',
    errorCode: 'AccessDenied',
    errorMessage: 'Access Denied',
    requestParameters: { bucketName: BUCKET, Host: `${BUCKET}.s3.us-west-2.amazonaws.com`, key: KEY, ...params },
    responseElements: null,
    additionalEventData: { SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader' },
    requestID: 'R3Q7EXAMPLE',
    eventID: '0b7f3c1e-1111-4a2b-9c3d-5e6f7a8b9c0d',
    readOnly: false,
    resources: [
      { type: 'AWS::S3::Object', ARN: OBJECT_ARN },
      { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` },
    ],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Data',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256' },
    ...overrides,
  };
}

export function policy(...statements: Statement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

export const ALLOW_PUT: Statement = { Sid: 'Ingest', Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/*` };

export function snapshot(overrides: Partial<AccountSnapshot> = {}, bucket: Partial<AccountSnapshot['bucket']> = {}): AccountSnapshot {
  return {
    snapshotVersion: 1,
    capturedAt: '2026-11-21T07:12:40Z',
    principal: {
      arn: ROLE_ARN,
      kind: 'role',
      accountId: ACCOUNT,
      tags: {},
      policies: [{ source: 'inline', name: 'ingest', document: policy(ALLOW_PUT) }],
      permissionsBoundary: null,
    },
    session: null,
    bucket: {
      name: BUCKET,
      arn: `arn:aws:s3:::${BUCKET}`,
      accountId: ACCOUNT,
      region: 'us-west-2',
      ownerCanonicalId: 'c0ffee0000000000000000000000000000000000000000000000000000000000',
      policy: null,
      objectOwnership: 'BucketOwnerEnforced',
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      accountPublicAccessBlock: null,
      defaultEncryption: { sseAlgorithm: 'AES256', bucketKeyEnabled: false },
      acl: null,
      ...bucket,
    },
    kmsKeys: [],
    organization: null,
    vpcEndpoints: [],
    unseen: [],
    ...overrides,
  };
}

/** The account with the bucket encrypting by default with the customer key KMS_KEY_ARN, under this key policy. */
export function withCustomerKey(keyPolicy: PolicyDocument): AccountSnapshot {
  return snapshot(
    {
      kmsKeys: [
        { arn: KMS_KEY_ARN, accountId: ACCOUNT, aliases: [], keyManager: 'CUSTOMER', keyState: 'Enabled', policy: keyPolicy, grants: [] },
      ],
    },
    { defaultEncryption: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: KMS_KEY_ARN, bucketKeyEnabled: false } },
  );
}

/** The bucket's rule that every upload hands the object to the bucket owner: a header the uploader sends. */
export const REQUIRE_OWNER_ACL: PolicyDocument = policy({
  Sid: 'Acl',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:PutObject',
  Resource: '*',
  Condition: { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
});

/** The bucket's own rule that plain HTTP is refused: a statement a fix must keep as it is. */
export const TLS_ONLY: Statement = {
  Sid: 'TLSOnly',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: '*',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

/** A partner's role in another account uploading to the bucket, which has only TLS_ONLY: no grant for it. */
export function partnerUpload(): { record: Json; account: AccountSnapshot } {
  return {
    record: s3Record({ userIdentity: roleIdentity(OTHER_ACCOUNT, 'PartnerDelivery', 'deliver-7') }),
    account: snapshot(
      {
        principal: {
          arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/PartnerDelivery`,
          kind: 'role',
          accountId: OTHER_ACCOUNT,
          tags: {},
          policies: [{ source: 'inline', name: 'deliver', document: policy(ALLOW_PUT) }],
          permissionsBoundary: null,
        },
      },
      { policy: policy(TLS_ONLY) },
    ),
  };
}
