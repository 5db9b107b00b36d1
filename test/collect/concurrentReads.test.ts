/**
 * What a cold diagnosis waits for (#26): reads that do not depend on one another go out together, measured
 * as the longest chain of calls each of which waited for the one before it, every call answered 5 ms late.
 */
import { join } from 'node:path';
import { DescribePolicyCommand } from '@aws-sdk/client-organizations';
import type { AwsClients } from '../../lambda/collect/awsClients';
import { type CollectorDeps, collectSnapshot, readAhead } from '../../lambda/collect/collectSnapshot';
import { RateLimiter, oneBudget } from '../../lambda/collect/RateLimiter';
import { OWN_SCENARIOS } from '../helpers/paths';
import { sequentialRoundTrips, type TimedCall } from '../helpers/roundTrips';
import { asBareAccessDenied, aws, answerFrom, fakeClients, fakeCollectorDeps, ownScenario, resetAws } from './fakeAccount';
import type { DeniedRequest } from '../../lambda/model/request';

const load = (name: string) => ownScenario(join(OWN_SCENARIOS, name));

/** Every client's calls logged with when they went out and when they were answered, 5 ms later. */
function timedClients(calls: TimedCall[]): AwsClients {
  const clients = fakeClients();
  const timed = <C extends { send: (...args: never[]) => Promise<unknown> }>(client: C): C => {
    const send = client.send.bind(client) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(client, {
      send: async (...args: unknown[]) => {
        const arrivedAt = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 5));
        try {
          return await send(...args);
        } finally {
          calls.push({ arrivedAt, answeredAt: performance.now() });
        }
      },
    });
    return client;
  };
  return {
    ...clients,
    iam: timed(clients.iam),
    s3: timed(clients.s3),
    s3control: timed(clients.s3control),
    kms: (region) => timed(clients.kms(region)),
    organizations: timed(clients.organizations),
    cloudtrail: (region) => timed(clients.cloudtrail(region)),
  };
}

function depsFor(clients: AwsClients, request: { caller: { accountId: string } }): CollectorDeps {
  return fakeCollectorDeps(request.caller.accountId, { clientsFor: () => clients, lookupBudget: oneBudget(new RateLimiter(100, 2_000)) });
}

async function collectTimed(name: string, asked = (request: DeniedRequest) => request) {
  const { request: recorded, account } = load(name);
  const request = asked(recorded);
  resetAws();
  answerFrom(account, request);
  const calls: TimedCall[] = [];
  const clients = timedClients(calls);
  const { snapshot } = await collectSnapshot(request, depsFor(clients, request));
  return { snapshot, calls };
}

describe('a cold snapshot’s reads', () => {
  it('walk a three-level organization while the role, the bucket and the named key are read', async () => {
    // The role's policies beside GetRole; the root's policies as soon as ListRoots names the root, each
    // other level's as soon as ListParents names it; the key the request names beside the bucket. Two waits:
    // the account's parent, then the OU's parent beside the OU's policies (seven when each step waited for
    // the one before, three before the root was read on its own word).
    const { snapshot, calls } = await collectTimed('bucket-policy-requires-specific-kms-key');
    expect(snapshot.unseen).toEqual([]);
    expect(snapshot.organization?.scpLevels).toHaveLength(3);
    expect(sequentialRoundTrips(calls)).toBe(2);
  });

  it('read a key the bucket names by its ARN beside its description: bucket, then the key, two waits in all', async () => {
    const { snapshot, calls } = await collectTimed('kms-key-disabled');
    expect(snapshot.kmsKeys?.[0]?.keyState).toBe('Disabled');
    expect(snapshot.bucket.defaultEncryption?.kmsMasterKeyId).toMatch(/^arn:aws:kms:/);
    expect(sequentialRoundTrips(calls)).toBe(2);
  });

  it('never asks for the contents of the policies AWS attaches itself, which no one can change', async () => {
    const { snapshot } = await collectTimed('session-policy-read-only');
    const described = aws.organizations.commandCalls(DescribePolicyCommand).map((c) => c.args[0].input.PolicyId);
    expect(described).not.toContain('p-FullAWSAccess');
    expect(described).not.toContain('p-RCPFullAWSAccess');
    const root = snapshot.organization?.scpLevels?.[0]?.policies.find((p) => p.id === 'p-FullAWSAccess');
    expect(root?.document).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  });

  it('are all under way before the request is looked up, except the KMS evidence, which only asks for its slot', async () => {
    // An SSE-KMS bucket default and a bare AccessDenied, so the diagnosis looks for the failed KMS call.
    const alone = await collectTimed('kms-key-disabled', asBareAccessDenied);
    const { request: recorded, account } = load('kms-key-disabled');
    const request = asBareAccessDenied(recorded);
    resetAws();
    answerFrom(account, request);
    const calls: TimedCall[] = [];
    const reserved: number[] = [];
    const deps = {
      ...depsFor(timedClients(calls), request),
      lookupBudget: oneBudget({ take: async () => undefined, reserve: () => void reserved.push(calls.length) }),
    };
    readAhead(request, deps);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const readAheadCalls = calls.length;
    const { snapshot } = await collectSnapshot(request, deps);
    expect(snapshot).toEqual(alone.snapshot);
    expect(reserved).toHaveLength(1);
    // Nothing is read twice: the diagnosis's own reads are the evidence lookup alone.
    expect(calls.length).toBe(alone.calls.length);
    expect(calls.length - readAheadCalls).toBe(1);
  });
});
