/**
 * Records as real exports write them (test/fixtures/records): fields a live trail always sets are missing,
 * files carry a byte order mark, come as NDJSON, gzipped or not, and some lines are cut short.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose, MalformedEventError, OutOfScopeEventError, parseEvent, readEventDocument } from '../../lambda';
import { snapshot } from '../factories';

const RECORDS = join(__dirname, '../fixtures/records');
const read = (name: string) => parseEvent(readEventDocument(readFileSync(join(RECORDS, name))));
const BUILD_BOT = 'arn:aws:iam::555566667777:user/build-bot';

describe('records as real exports write them', () => {
  it('diagnoses a record without eventID, eventTime, userIdentity.type or recipientAccountId', () => {
    const [request] = read('export-without-ids.json').requests;
    expect(request?.caller).toMatchObject({ type: 'IAMUser', arn: BUILD_BOT, accountId: '555566667777' });
    expect(request?.event.time).toBe('');
    expect(request?.context['aws:CurrentTime']).toBeUndefined();
    const diagnosis = diagnose(
      request!,
      snapshot({ principal: { arn: BUILD_BOT, kind: 'user', accountId: '555566667777', policies: [] } }),
    );
    expect(diagnosis.verdict).toBe('implicit-deny');
    expect(diagnosis.decidingLayers[0]?.layer).toBe('identity-policy');
  });

  it('gives a record without eventID an id derived from what it says, the same every time', () => {
    const first = read('export-without-ids.json').requests[0]!.event.id;
    expect(first).toMatch(/^derived-[0-9a-f]{32}$/);
    expect(read('export-without-ids.json').requests[0]!.event.id).toBe(first);
    const other = JSON.parse(readFileSync(join(RECORDS, 'export-without-ids.json'), 'utf8')) as Record<string, unknown>;
    expect(parseEvent({ ...other, sourceIPAddress: '203.0.113.25' }).requests[0]!.event.id).not.toBe(first);
  });

  it('reads a file behind a UTF-8 byte order mark', () => {
    expect(read('bom-record.json').requests).toHaveLength(1);
  });

  it.each([
    ['UTF-16LE', (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16BE', (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
  ])('reads %s behind its byte order mark, as Windows tools save it (#25)', (_name, encode) => {
    const text = readFileSync(join(RECORDS, 'bom-record.json'), 'utf8').replace(/^\uFEFF/, '');
    expect(parseEvent(readEventDocument(encode(text))).requests).toHaveLength(1);
  });

  it('refuses Latin-1 as not UTF-8, instead of reading mojibake (#25)', () => {
    const latin1 = Buffer.from('{"eventName": "PutObject", "key": "r\u00e9sum\u00e9.pdf"}', 'latin1');
    expect(() => readEventDocument(latin1)).toThrow(/not UTF-8 text/);
  });

  it.each(['export.jsonl', 'export.jsonl.gz'])('reads NDJSON (%s) as a log file, one record a line, a cut line its own error', (name) => {
    const parsed = read(name);
    expect(parsed.form).toBe('log-file');
    expect(parsed.requests.map((r) => r.event.id)).toEqual(['0f4e6a1c-2b3d-4e5f-8a9b-0c1d2e3f4a5b']);
    expect(parsed.skipped.map((s) => [s.index, s.malformed])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(parsed.skipped[1]?.reason).toMatch(/^line 3 is not valid JSON/);
  });

  it.each<[string, string]>([
    ['an empty file', ''],
    ['only white space and a byte order mark', '\uFEFF \n\n'],
    ['text that is not JSON', 'Records,eventName\n1,PutObject'],
    ['JSON cut short', '{"Records": [{"eventName": "PutObject"'],
  ])('refuses %s with one clear error', (_name, text) => {
    expect(() => readEventDocument(Buffer.from(text))).toThrow(MalformedEventError);
  });
});

describe('scope and what a record leaves out', () => {
  const record = JSON.parse(readFileSync(join(RECORDS, 'export-without-ids.json'), 'utf8')) as Record<string, unknown>;
  const kmsCall = (encryptionContext: Record<string, string>, invokedBy: string) => ({
    ...record,
    eventSource: 'kms.amazonaws.com',
    eventName: 'GenerateDataKey',
    userIdentity: { ...(record.userIdentity as object), type: 'IAMUser', invokedBy },
    errorCode: 'AccessDenied',
    requestParameters: { keyId: 'alias/app', keySpec: 'AES_256', encryptionContext },
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'Secrets Manager',
      { SecretARN: 'arn:aws:secretsmanager:us-west-2:555566667777:secret:db-AbCdEf', SecretVersionId: 'v1' },
      'secretsmanager.amazonaws.com',
    ],
    ['EBS', { 'aws:ebs:id': 'vol-0a1b2c3d4e5f67890' }, 'ec2.amazonaws.com'],
    ['an application', {}, ''],
  ])('leaves out a GenerateDataKey for %s: its encryption context names no S3 object', (_name, context, invokedBy) => {
    expect(() => parseEvent(kmsCall(context, invokedBy))).toThrow(OutOfScopeEventError);
  });

  it('diagnoses the GenerateDataKey S3 made for an upload', () => {
    const [request] = parseEvent(
      kmsCall({ 'aws:s3:arn': 'arn:aws:s3:::contoso-media-uploads/builds/app-1.4.2.zip' }, 'fas.s3.amazonaws.com'),
    ).requests;
    expect(request).toMatchObject({ service: 'kms', bucket: 'contoso-media-uploads', key: 'builds/app-1.4.2.zip' });
  });

  it('takes the object key from resources[] when requestParameters has none', () => {
    const withoutKey = { ...record, requestParameters: { bucketName: 'contoso-media-uploads' } };
    expect(parseEvent(withoutKey).requests[0]?.key).toBe('builds/app-1.4.2.zip');
  });
});

describe('hostile values inside a record', () => {
  const record = JSON.parse(readFileSync(join(RECORDS, 'export-without-ids.json'), 'utf8')) as Record<string, unknown>;

  it.each<[string, unknown]>([
    ['an object whose toString is not callable', { toString: 1 }],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
  ])('diagnoses a record whose SignatureVersion is %s, leaving s3:signatureversion absent', (_name, value) => {
    const [request] = parseEvent({ ...record, additionalEventData: { SignatureVersion: value, AuthenticationMethod: value } }).requests;
    expect(request?.context['s3:signatureversion']).toBeUndefined();
    expect(request?.context['s3:authType']).toBeUndefined();
  });

  it('makes any exception while reading one record that record’s error, named by its index', () => {
    const parsed = parseEvent({ Records: [record, { ...record, requestParameters: { bucketName: { toString: 1 } } }] });
    expect(parsed.requests).toHaveLength(1);
    expect(parsed.skipped).toEqual([expect.objectContaining({ index: 1, malformed: true })]);
  });
});
