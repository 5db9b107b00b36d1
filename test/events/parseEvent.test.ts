import { gzipSync } from 'node:zlib';
import { MalformedEventError, OutOfScopeEventError, parseEvent, readEventDocument } from '../../lambda';
import { ACCOUNT, BUCKET, KEY, OBJECT_ARN, ROLE_ARN, SESSION_ARN, s3Record } from '../factories';

describe('parseEvent: the three shapes a denial arrives in', () => {
  it('reads a bare CloudTrail record', () => {
    const parsed = parseEvent(s3Record());
    expect(parsed.form).toBe('record');
    expect(parsed.requests[0]).toMatchObject({ service: 's3', bucket: BUCKET, key: KEY, region: 'us-west-2' });
  });

  it('unwraps the EventBridge envelope', () => {
    const parsed = parseEvent({
      version: '0',
      id: 'e1',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.s3',
      detail: s3Record(),
    });
    expect(parsed.form).toBe('envelope');
    expect(parsed.requests).toHaveLength(1);
  });

  it('diagnoses each failed write of a gzipped log file and reports the rest as skipped', () => {
    const log = {
      Records: [
        s3Record(),
        s3Record({ errorCode: undefined, errorMessage: undefined, eventID: 'ok-1' }),
        s3Record({ eventName: 'GetObject', eventID: 'read-1' }),
        { eventVersion: '1.10', eventID: 'broken-1' },
      ],
    };
    const parsed = parseEvent(readEventDocument(gzipSync(JSON.stringify(log))));
    expect(parsed.form).toBe('log-file');
    expect(parsed.requests).toHaveLength(1);
    expect(parsed.skipped.map((s) => [s.eventId, s.malformed])).toEqual([
      ['ok-1', false],
      ['read-1', false],
      ['broken-1', true],
    ]);
  });

  it('reads a bare array of records as the log file it came from (jq .Records), each one checked (#25)', () => {
    const parsed = parseEvent([s3Record(), 42]);
    expect({ form: parsed.form, requests: parsed.requests.length, malformed: parsed.skipped.map((s) => s.malformed) }).toEqual({
      form: 'log-file',
      requests: 1,
      malformed: [true],
    });
  });

  it.each<[string, unknown, typeof MalformedEventError]>([
    ['a number', 42, MalformedEventError],
    ['an object of no known shape', { Message: 'hello', eventName: 42 }, MalformedEventError],
    ['a record without userIdentity', { ...s3Record(), userIdentity: undefined }, MalformedEventError],
    ['a record with a numeric eventName', { ...s3Record(), eventName: 7 }, MalformedEventError],
    ['a PutObject without bucketName', s3Record({ requestParameters: { key: KEY } }), MalformedEventError],
    ['an S3 read', s3Record({ eventName: 'GetObject' }), OutOfScopeEventError],
    ['a successful upload', s3Record({ errorCode: undefined }), OutOfScopeEventError],
    ['an upload slowed down', s3Record({ errorCode: 'SlowDown' }), OutOfScopeEventError],
    ['an upload with a failed precondition', s3Record({ errorCode: 'PreconditionFailed' }), OutOfScopeEventError],
    ['a part of an aborted upload', s3Record({ eventName: 'UploadPart', errorCode: 'NoSuchUpload' }), OutOfScopeEventError],
    ['an S3 internal error', s3Record({ errorCode: 'InternalError' }), OutOfScopeEventError],
    ['another service', s3Record({ eventSource: 'dynamodb.amazonaws.com', eventName: 'PutItem' }), OutOfScopeEventError],
  ])('refuses %s with a typed error', (_name, input, type) => {
    expect(() => parseEvent(input)).toThrow(type);
  });

  it.each([
    ['invalid JSON', Buffer.from('{"Records": [')],
    ['a truncated gzip stream', gzipSync('{"Records": []}').subarray(0, 12)],
  ])('refuses %s when reading', (_name, bytes) => {
    expect(() => readEventDocument(bytes)).toThrow(MalformedEventError);
  });
});

describe('the caller', () => {
  it('names both the role and its session for an assumed role', () => {
    const { caller } = parseEvent(s3Record()).requests[0]!;
    expect(caller).toMatchObject({
      type: 'AssumedRole',
      arn: ROLE_ARN,
      sessionArn: SESSION_ARN,
      accountId: ACCOUNT,
      sessionName: 'ingest-worker-7',
    });
  });

  it("recovers a cross-account caller's ARN from the enhanced message in the bucket owner's copy", () => {
    const record = s3Record({
      userIdentity: { type: 'AWSAccount', principalId: 'AROAPARTNER:nightly', accountId: '888899990000' },
      errorMessage: `User: arn:aws:sts::888899990000:assumed-role/Partner/nightly is not authorized to perform: s3:PutObject on resource: "${OBJECT_ARN}" because no resource-based policy allows the s3:PutObject action`,
    });
    expect(parseEvent(record).requests[0]!.caller).toMatchObject({
      type: 'AssumedRole',
      arn: 'arn:aws:iam::888899990000:role/Partner',
      sessionArn: 'arn:aws:sts::888899990000:assumed-role/Partner/nightly',
      accountId: '888899990000',
    });
  });

  it('leaves the ARN unknown when the bucket owner’s copy has no enhanced message', () => {
    const record = s3Record({ userIdentity: { type: 'AWSAccount', principalId: 'AROAPARTNER:nightly', accountId: '888899990000' } });
    expect(parseEvent(record).requests[0]!.caller).toMatchObject({ arn: null, accountId: '888899990000' });
  });
});

describe('the request context', () => {
  it('carries identity, network, time and header keys', () => {
    const { context } = parseEvent(s3Record({}, { 'x-amz-acl': 'private', 'x-amz-server-side-encryption': 'aws:kms' })).requests[0]!;
    expect(context).toMatchObject({
      'aws:SourceIp': '192.0.2.10',
      'aws:SecureTransport': 'true',
      'aws:PrincipalArn': ROLE_ARN,
      'aws:PrincipalAccount': ACCOUNT,
      'aws:PrincipalType': 'AssumedRole',
      'aws:userid': 'AROAEXAMPLEMEDIA:ingest-worker-7',
      'aws:RequestedRegion': 'us-west-2',
      'aws:CurrentTime': '2026-11-21T07:12:30Z',
      'aws:EpochTime': '1795245150',
      'aws:MultiFactorAuthPresent': 'false',
      'aws:ViaAWSService': 'false',
      's3:x-amz-acl': 'private',
      's3:x-amz-server-side-encryption': 'aws:kms',
      's3:ResourceAccount': ACCOUNT,
      's3:TlsVersion': '1.3',
      's3:signatureversion': 'AWS4-HMAC-SHA256',
      's3:authType': 'REST-HEADER',
    });
    expect(context).not.toHaveProperty('aws:username');
  });

  it('has no aws:SourceIp through a VPC endpoint, but aws:SourceVpce and aws:VpcSourceIp', () => {
    const { context } = parseEvent(s3Record({ sourceIPAddress: '10.0.3.4', vpcEndpointId: 'vpce-0abc' })).requests[0]!;
    expect(context).toMatchObject({ 'aws:SourceVpce': 'vpce-0abc', 'aws:VpcSourceIp': '10.0.3.4' });
    expect(context).not.toHaveProperty('aws:SourceIp');
  });

  it('has aws:SecureTransport false without tlsDetails', () => {
    expect(parseEvent(s3Record({ tlsDetails: undefined })).requests[0]!.context['aws:SecureTransport']).toBe('false');
  });

  it('has no aws:MultiFactorAuthPresent for long-term access keys, and aws:username for users', () => {
    const user = {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      accountId: ACCOUNT,
      accessKeyId: 'AKIAEXAMPLE',
      userName: 'alice',
    };
    const { context } = parseEvent(s3Record({ userIdentity: user })).requests[0]!;
    expect(context).not.toHaveProperty('aws:MultiFactorAuthPresent');
    expect(context).toMatchObject({ 'aws:username': 'alice', 'aws:PrincipalType': 'User', 'aws:userid': 'AIDAEXAMPLE' });
  });

  it('reads the KMS call S3 made for the uploader: key, object and the kms: keys', () => {
    const record = s3Record({
      eventSource: 'kms.amazonaws.com',
      eventName: 'GenerateDataKey',
      sourceIPAddress: 'fas.s3.amazonaws.com',
      userIdentity: { ...(s3Record().userIdentity as object), invokedBy: 'fas.s3.amazonaws.com' },
      requestParameters: {
        keyId: 'arn:aws:kms:us-west-2:555566667777:key/k1',
        encryptionContext: { 'aws:s3:arn': OBJECT_ARN },
        keySpec: 'AES_256',
      },
    });
    const request = parseEvent(record).requests[0]!;
    expect(request).toMatchObject({ service: 'kms', bucket: BUCKET, key: KEY, kmsKeyId: 'arn:aws:kms:us-west-2:555566667777:key/k1' });
    expect(request.context).toMatchObject({
      'kms:ViaService': 's3.us-west-2.amazonaws.com',
      'kms:CallerAccount': ACCOUNT,
      'kms:EncryptionContext:aws:s3:arn': OBJECT_ARN,
      'aws:ViaAWSService': 'true',
    });
    expect(request.context).not.toHaveProperty('aws:SourceIp');
  });

  it('reads a copy source, URL-encoded, with a version id', () => {
    const request = parseEvent(s3Record({ eventName: 'CopyObject' }, { 'x-amz-copy-source': 'src-bucket/a%20b/c.txt?versionId=3' }))
      .requests[0]!;
    expect(request.copySource).toEqual({ bucket: 'src-bucket', key: 'a b/c.txt' });
  });
});

describe('the error codes in scope', () => {
  it.each(['AccessDenied', 'AllAccessDisabled', 'ExpiredToken', 'NoSuchBucket', 'KMS.DisabledException', 'KMS.NotFoundException'])(
    '%s is a denial the engine explains',
    (errorCode) => {
      expect(parseEvent(s3Record({ errorCode })).requests).toHaveLength(1);
    },
  );
});
