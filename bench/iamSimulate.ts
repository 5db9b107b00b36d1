/**
 * The full path beside iam-simulate's evaluation of the same upload (#26 asks for ≥ 10×): the record's
 * bytes → requests → diagnosis, against `runSimulation` of s3:PutObject under the snapshot's identity
 * policies, permissions boundary, SCPs, RCPs and bucket policy, with the context keys the diagnosis used.
 * iam-simulate is AGPL-licensed, so it is not one of the project's dependencies: install it beside the
 * bench (`npm install --no-save @cloud-copilot/iam-simulate`) to measure; without it the figure says so.
 * https://github.com/cloud-copilot/iam-simulate
 */
import { createRequire } from 'node:module';
import { diagnose, parseEvent, readEventDocument } from '../lambda';
import type { AccountSnapshot, NamedPolicy, OrgLevel } from '../lambda';
import { engineInputs, type Input, percentile } from './engine';

const PACKAGE = '@cloud-copilot/iam-simulate';

interface Named {
  name: string;
  policy: unknown;
}

interface Simulation {
  identityPolicies: Named[];
  permissionBoundaryPolicies?: Named[];
  serviceControlPolicies: { orgIdentifier: string; policies: Named[] }[];
  resourceControlPolicies: { orgIdentifier: string; policies: Named[] }[];
  resourcePolicy?: unknown;
  request: {
    action: string;
    principal: string;
    resource: { accountId: string; resource: string };
    contextVariables: Record<string, string | string[]>;
  };
}

interface IamSimulate {
  runSimulation(simulation: Simulation, options: object): Promise<{ resultType: string }>;
}

function loadIamSimulate(): IamSimulate | null {
  try {
    return createRequire(__filename)(PACKAGE) as IamSimulate;
  } catch {
    return null;
  }
}

const named = (policies: NamedPolicy[]) => policies.map((p, i) => ({ name: p.name ?? `policy-${i}`, policy: p.document }));

/** iam-simulate applies RCPFullAWSAccess itself: a level holding only that has nothing to add. */
function orgLevels(levels: OrgLevel[] | undefined, implicit: string | null) {
  return (levels ?? [])
    .map((level) => ({
      orgIdentifier: level.target.split(' ')[0] ?? level.target,
      policies: named(level.policies.filter((p) => p.name !== implicit)),
    }))
    .filter((level) => level.policies.length > 0);
}

/** The scenario's upload as iam-simulate asks for it; null for a caller it does not simulate (an AWS service). */
function simulationOf(input: Input): Simulation | null {
  const request = parseEvent(input.event).requests[0];
  const snapshot: AccountSnapshot = input.snapshot;
  const principal = snapshot.principal.arn ?? request?.caller.arn;
  if (!request?.bucket || !principal) return null;
  const context = diagnose(request, snapshot).request.context;
  const boundary = snapshot.principal.permissionsBoundary;
  return {
    identityPolicies: named(snapshot.principal.policies ?? []),
    ...(boundary ? { permissionBoundaryPolicies: [{ name: boundary.name ?? 'boundary', policy: boundary.document }] } : {}),
    serviceControlPolicies: orgLevels(snapshot.organization?.scpLevels, null),
    resourceControlPolicies: orgLevels(snapshot.organization?.rcpLevels, 'RCPFullAWSAccess'),
    ...(snapshot.bucket.policy ? { resourcePolicy: snapshot.bucket.policy } : {}),
    request: {
      action: 's3:PutObject',
      principal,
      resource: { accountId: snapshot.bucket.accountId, resource: `arn:${request.partition}:s3:::${request.bucket}/${request.key ?? ''}` },
      contextVariables: context,
    },
  };
}

function summary(samples: number[]) {
  samples.sort((a, b) => a - b);
  return { p50Microseconds: Number(percentile(samples, 50).toFixed(1)), p99Microseconds: Number(percentile(samples, 99).toFixed(1)) };
}

const ROUNDS = 600;
const WARM_UP = 100;

export async function compareWithIamSimulate() {
  const simulator = loadIamSimulate();
  if (!simulator) return { skipped: `${PACKAGE} is not installed: npm install --no-save ${PACKAGE}, then npm run bench` };
  const { source, inputs } = engineInputs();
  const pairs: { input: Input; simulation: Simulation }[] = [];
  for (const input of inputs) {
    const simulation = simulationOf(input);
    if (simulation && (await simulator.runSimulation(simulation, {})).resultType !== 'error') pairs.push({ input, simulation });
  }
  const fullPath: number[] = [];
  const simulated: number[] = [];
  for (let round = 0; round < WARM_UP + ROUNDS; round += 1) {
    for (const { input } of pairs) {
      const started = process.hrtime.bigint();
      for (const request of parseEvent(readEventDocument(input.bytes)).requests) diagnose(request, input.snapshot);
      if (round >= WARM_UP) fullPath.push(Number(process.hrtime.bigint() - started) / 1000);
    }
  }
  for (let round = 0; round < WARM_UP + ROUNDS; round += 1) {
    for (const { simulation } of pairs) {
      const started = process.hrtime.bigint();
      await simulator.runSimulation(simulation, {});
      if (round >= WARM_UP) simulated.push(Number(process.hrtime.bigint() - started) / 1000);
    }
  }
  const ours = summary(fullPath);
  const theirs = summary(simulated);
  return {
    source,
    scenarios: pairs.length,
    fullPathFromBytes: ours,
    iamSimulateRunSimulation: theirs,
    timesFasterAtP50: Number((theirs.p50Microseconds / ours.p50Microseconds).toFixed(2)),
  };
}
