/**
 * AWS behind one local HTTP port, answering every call `delayMs` after it arrives: the account reads from
 * the aws-sdk-client-mock answers `test/collect/fakeAccount` sets up for a scenario (sent through the
 * mocked clients, then written in the service's wire protocol), DynamoDB from dynalite, SNS and Secrets
 * Manager from fixed answers, and a Slack webhook that notes when each message arrives.
 * Each call is logged with when it arrived and when it was answered: the bench counts calls and the
 * longest chain of calls that waited for one another.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as cloudtrail from '@aws-sdk/client-cloudtrail';
import * as ec2 from '@aws-sdk/client-ec2';
import * as iam from '@aws-sdk/client-iam';
import * as kms from '@aws-sdk/client-kms';
import * as organizations from '@aws-sdk/client-organizations';
import * as s3 from '@aws-sdk/client-s3';
import * as s3control from '@aws-sdk/client-s3-control';
import { ec2Answer, ec2Error, jsonAnswer, jsonError, queryAnswer, queryError, s3Answer, s3Error, type WireAnswer } from './wireFormats';

export interface Call {
  service: string;
  operation: string;
  arrivedAt: number;
  answeredAt: number;
}

export interface StandIn {
  port: number;
  calls: Call[];
  /** Each Slack message, and when it arrived (ms since the epoch, fractional). */
  slackMessages: { at: number; body: string }[];
  slackUrl: string;
  stop: () => Promise<void>;
}

export const nowMs = () => performance.timeOrigin + performance.now();

const credentials = { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'stand-in' };
const MOCKED = {
  iam: new iam.IAMClient({ region: 'us-east-1', credentials }),
  kms: new kms.KMSClient({ region: 'us-east-1', credentials }),
  organizations: new organizations.OrganizationsClient({ region: 'us-east-1', credentials }),
  cloudtrail: new cloudtrail.CloudTrailClient({ region: 'us-east-1', credentials }),
  s3: new s3.S3Client({ region: 'us-east-1', credentials }),
  s3control: new s3control.S3ControlClient({ region: 'us-east-1', credentials }),
  ec2: new ec2.EC2Client({ region: 'us-east-1', credentials }),
};

type Module = Record<string, unknown>;
type Sender = { send: (command: never) => Promise<unknown> };

/** Runs `operation` through the mocked client; a rejection is the SDK error the account would give. */
async function askMock(client: Sender, module: Module, operation: string, input: unknown): Promise<{ output?: unknown; error?: Error }> {
  const Command = module[`${operation}Command`] as (new (input: unknown) => never) | undefined;
  if (!Command) return { error: Object.assign(new Error(`${operation} is not an operation`), { name: 'InvalidAction' }) };
  try {
    return { output: (await client.send(new Command(input))) ?? {} };
  } catch (error) {
    return { error: error as Error };
  }
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** The signing scope names the service: `Credential=AKID/20261204/eu-west-1/iam/aws4_request`. */
function serviceOf(req: IncomingMessage): string {
  const scope = /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
  return scope?.[1] ?? 'none';
}

function queryInput(body: Buffer): { operation: string; input: Record<string, unknown> } {
  const params = new URLSearchParams(body.toString('utf8'));
  const input: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const listed = /^(.+?)(?:\.member)?\.\d+$/.exec(key);
    if (listed?.[1]) input[listed[1]] = [...((input[listed[1]] as unknown[]) ?? []), value];
    else input[key] = value;
  }
  return { operation: params.get('Action') ?? '', input };
}

const S3_READS: Record<string, string> = {
  policy: 'GetBucketPolicy',
  acl: 'GetBucketAcl',
  publicAccessBlock: 'GetPublicAccessBlock',
  ownershipControls: 'GetBucketOwnershipControls',
  encryption: 'GetBucketEncryption',
};

async function answerS3(req: IncomingMessage): Promise<{ operation: string; answer: WireAnswer }> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const host = String(req.headers.host ?? '');
  if (host.includes('s3-control')) {
    const { output, error } = await askMock(MOCKED.s3control, s3control, 'GetPublicAccessBlock', {
      AccountId: req.headers['x-amz-account-id'],
    });
    const answer = error ? s3Error(error.name, error.message) : s3Answer('GetPublicAccessBlock', output as Record<string, unknown>);
    return { operation: 'GetPublicAccessBlock (account)', answer };
  }
  const subresource = [...url.searchParams.keys()].find((key) => key in S3_READS);
  const operation = subresource ? S3_READS[subresource]! : `${req.method} ${url.pathname}`;
  if (!subresource) return { operation, answer: s3Error('NotImplemented', `the stand-in does not answer ${operation}`) };
  const virtualHost = /^(.+)\.s3[.-]/.exec(host)?.[1];
  const Bucket = virtualHost ?? url.pathname.split('/')[1];
  const { output, error } = await askMock(MOCKED.s3, s3, operation, { Bucket });
  if (
    operation === 'GetBucketEncryption' &&
    !error &&
    !(output as { ServerSideEncryptionConfiguration?: unknown }).ServerSideEncryptionConfiguration
  )
    // Every bucket has had SSE-S3 by default since January 2023.
    return {
      operation,
      answer: s3Answer(operation, {
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      }),
    };
  return { operation, answer: error ? s3Error(error.name, error.message) : s3Answer(operation, output as Record<string, unknown>) };
}

const JSON_SERVICES: Record<string, [Sender, Module]> = {
  kms: [MOCKED.kms, kms],
  organizations: [MOCKED.organizations, organizations],
  cloudtrail: [MOCKED.cloudtrail, cloudtrail],
};

async function answerJson(service: string, req: IncomingMessage, body: Buffer, slackUrl: string) {
  const operation =
    String(req.headers['x-amz-target'] ?? '')
      .split('.')
      .pop() ?? '';
  if (service === 'secretsmanager') return { operation, answer: jsonAnswer({ Name: 'slack', SecretString: slackUrl }) };
  const [client, module] = JSON_SERVICES[service]!;
  const { output, error } = await askMock(client, module, operation, JSON.parse(body.toString('utf8') || '{}'));
  return { operation, answer: error ? jsonError(error.name, error.message) : jsonAnswer(output) };
}

async function answerQuery(service: string, body: Buffer) {
  const { operation, input } = queryInput(body);
  if (service === 'sns')
    return { operation, answer: queryAnswer(operation, { MessageId: 'stand-in' }, 'http://sns.amazonaws.com/doc/2010-03-31/') };
  if (service === 'sts') {
    // The read-only role in another account: any role the deployment names is granted, for an hour.
    const credentials = {
      AccessKeyId: 'ASIASTANDIN',
      SecretAccessKey: 'stand-in',
      SessionToken: 'stand-in',
      Expiration: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const output = { Credentials: credentials, AssumedRoleUser: { Arn: String(input.RoleArn), AssumedRoleId: 'AROASTANDIN:why-denied' } };
    return { operation, answer: queryAnswer(operation, output, 'https://sts.amazonaws.com/doc/2011-06-15/') };
  }
  if (service === 'ec2') {
    // ec2Query names a list by its singular member (VpcEndpointId.1); the SDK's input names it plural.
    const { VpcEndpointId, ...rest } = input;
    const sdkInput = VpcEndpointId === undefined ? rest : { ...rest, VpcEndpointIds: VpcEndpointId };
    const { output, error } = await askMock(MOCKED.ec2, ec2, operation, sdkInput);
    return { operation, answer: error ? ec2Error(error.name, error.message) : ec2Answer(operation, output) };
  }
  const { output, error } = await askMock(MOCKED.iam, iam, operation, input);
  return {
    operation,
    answer: error ? queryError(error.name, error.message) : queryAnswer(operation, output, 'https://iam.amazonaws.com/doc/2010-05-08/'),
  };
}

function forward(req: IncomingMessage, body: Buffer, port: number): Promise<WireAnswer> {
  return new Promise((resolve, reject) => {
    const out = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (res) => {
      void readBody(res).then((answer) =>
        resolve({ status: res.statusCode ?? 500, contentType: String(res.headers['content-type']), body: answer.toString('utf8') }),
      );
    });
    out.on('error', reject);
    out.end(body);
  });
}

export async function startStandIn(options: { delayMs: number; dynamoPort: number }): Promise<StandIn> {
  const calls: Call[] = [];
  const slackMessages: { at: number; body: string }[] = [];
  let slackUrl = '';
  const server: Server = createServer((req, res) => {
    const arrivedAt = nowMs();
    void (async () => {
      const body = await readBody(req);
      if (req.url?.startsWith('/slack/')) {
        slackMessages.push({ at: arrivedAt, body: body.toString('utf8') });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const service = serviceOf(req);
      const { operation, answer } =
        service === 'dynamodb'
          ? {
              operation:
                String(req.headers['x-amz-target'] ?? '')
                  .split('.')
                  .pop() ?? '',
              answer: await forward(req, body, options.dynamoPort),
            }
          : service === 's3'
            ? await answerS3(req)
            : service in JSON_SERVICES || service === 'secretsmanager'
              ? await answerJson(service, req, body, slackUrl)
              : await answerQuery(service, body);
      res.writeHead(answer.status, { 'content-type': answer.contentType, 'x-amzn-requestid': 'stand-in' }).end(answer.body);
      calls.push({ service, operation, arrivedAt, answeredAt: nowMs() });
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  slackUrl = `http://127.0.0.1:${port}/slack/T000/B000/stand-in`;
  return {
    port,
    calls,
    slackMessages,
    slackUrl,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
