/**
 * A synthetic day of CloudTrail as a trail delivers it: gzipped files in
 * AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/, mostly ordinary traffic (role assumptions, KMS
 * decrypts, EC2 describes, successful S3 reads and writes) with a few failed uploads taken from a worked
 * scenario. Deterministic, so two runs measure the same work.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface TrailShape {
  files: number;
  recordsPerFile: number;
  deniedPerFile: number;
}

const ACCOUNT = '210987654321';
const REGION = 'eu-west-1';

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function identity(n: number) {
  return {
    type: 'AssumedRole',
    principalId: `AROAZEXAMPLE${n % 17}:session-${n % 97}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Service${n % 17}/session-${n % 97}`,
    accountId: ACCOUNT,
    accessKeyId: `ASIAZEXAMPLE${String(n % 9973).padStart(6, '0')}`,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: `AROAZEXAMPLE${n % 17}`,
        arn: `arn:aws:iam::${ACCOUNT}:role/Service${n % 17}`,
        accountId: ACCOUNT,
        userName: `Service${n % 17}`,
      },
      attributes: { creationDate: '2026-11-20T00:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

function ordinaryRecord(n: number, time: string, roll: number): Record<string, unknown> {
  const base = {
    eventVersion: '1.10',
    userIdentity: identity(n),
    eventTime: time,
    awsRegion: REGION,
    sourceIPAddress: `198.51.100.${n % 250}`,
    userAgent: 'aws-sdk-java/2.29.1 Linux/6.1 OpenJDK_64-Bit_Server_VM/21.0.5',
    requestID: `${n.toString(16).padStart(8, '0')}-4e8b-4a61-9c3d-0f5c3e2d1b70`,
    eventID: `${(n * 7919).toString(16).padStart(8, '0')}-2c4a-4e8b-9a61-0f5c3e2d1b70`,
    recipientAccountId: ACCOUNT,
    eventType: 'AwsApiCall',
  };
  if (roll < 0.35) {
    return {
      ...base,
      eventSource: 'kms.amazonaws.com',
      eventName: 'Decrypt',
      readOnly: true,
      managementEvent: true,
      eventCategory: 'Management',
      requestParameters: {
        encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        encryptionContext: { 'aws:lambda:FunctionArn': `arn:aws:lambda:${REGION}:${ACCOUNT}:function:worker-${n % 31}` },
      },
      responseElements: null,
      resources: [
        { accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e` },
      ],
    };
  }
  if (roll < 0.6) {
    return {
      ...base,
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      readOnly: true,
      managementEvent: true,
      eventCategory: 'Management',
      requestParameters: {
        roleArn: `arn:aws:iam::${ACCOUNT}:role/Service${n % 17}`,
        roleSessionName: `session-${n % 97}`,
        durationSeconds: 3600,
      },
      responseElements: {
        credentials: {
          accessKeyId: `ASIAZEXAMPLE${n % 9973}`,
          sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN'.repeat(6),
          expiration: 'Nov 20, 2026, 10:00:00 PM',
        },
        assumedRoleUser: {
          assumedRoleId: `AROAZEXAMPLE${n % 17}:session-${n % 97}`,
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Service${n % 17}/session-${n % 97}`,
        },
      },
    };
  }
  if (roll < 0.8) {
    return {
      ...base,
      eventSource: 'ec2.amazonaws.com',
      eventName: 'DescribeInstances',
      readOnly: true,
      managementEvent: true,
      eventCategory: 'Management',
      requestParameters: { instancesSet: {}, filterSet: { items: [{ name: 'tag:team', valueSet: { items: [{ value: 'platform' }] } }] } },
      responseElements: null,
    };
  }
  const name = roll < 0.92 ? 'GetObject' : 'PutObject';
  return {
    ...base,
    eventSource: 's3.amazonaws.com',
    eventName: name,
    readOnly: name === 'GetObject',
    managementEvent: false,
    eventCategory: 'Data',
    requestParameters: {
      bucketName: 'northwind-invoices-prod',
      Host: 'northwind-invoices-prod.s3.eu-west-1.amazonaws.com',
      key: `2026/11/20/invoice-${n}.pdf`,
    },
    responseElements: null,
    additionalEventData: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: 48_213,
      AuthenticationMethod: 'AuthHeader',
    },
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::northwind-invoices-prod/2026/11/20/invoice-${n}.pdf` },
      { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::northwind-invoices-prod' },
    ],
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256' },
  };
}

/** Writes the trail under `root` and returns the number of records written. */
export function generateTrail(root: string, deniedTemplate: string, shape: TrailShape): number {
  const denied = JSON.parse(readFileSync(deniedTemplate, 'utf8')) as Record<string, unknown>;
  const next = random(20_261_120);
  const folder = join(root, 'AWSLogs', ACCOUNT, 'CloudTrail', REGION, '2026', '11', '20');
  mkdirSync(folder, { recursive: true });
  let n = 0;
  for (let file = 0; file < shape.files; file += 1) {
    const minutes = Math.floor((file * 24 * 60) / shape.files);
    const stamp = `2026-11-20T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    const records: Record<string, unknown>[] = [];
    for (let i = 0; i < shape.recordsPerFile; i += 1) {
      n += 1;
      const time = `${stamp}:${String(i % 60).padStart(2, '0')}Z`;
      records.push(
        i < shape.deniedPerFile
          ? {
              ...denied,
              eventTime: time,
              eventID: `denied-${file}-${i}`,
              requestParameters: { ...(denied.requestParameters as object), key: `2026/11/20/export-${n}.csv` },
            }
          : ordinaryRecord(n, time, next()),
      );
    }
    const name = `${ACCOUNT}_CloudTrail_${REGION}_${stamp.replace(/[-:]/g, '')}Z_${file.toString(36).padStart(4, '0')}.json.gz`;
    writeFileSync(join(folder, name), gzipSync(JSON.stringify({ Records: records })));
  }
  return n;
}
