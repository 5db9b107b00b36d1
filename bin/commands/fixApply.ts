/**
 * `why-denied fix apply` and `fix rollback`: the only commands that write to the account, each with a
 * person's confirmation (or --yes) and an audit line per event in a local JSON-lines file.
 * Exit codes: 0 applied (or rolled back), 1 refused or undone, 2 a plan file that cannot be read.
 */
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { keyClients } from '../../lambda/remediate/keyClients';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { RemediationPlan } from '../../lambda/model/remediationPlan';
import { safeForTerminal } from '../../lambda/notify/safeForTerminal';
import { type ApplySettings, applyPlan, type AuditEntry } from '../../lambda/remediate/applyPlan';
import type { RemediationClients } from '../../lambda/remediate/RemediationClients';
import { rollbackPlan } from '../../lambda/remediate/rollbackPlan';
import { DEFAULT_SENSITIVE_ACTIONS } from '../../lambda/remediate/runGuards';
import { awsAccessError } from '../awsAccessError';
import { CliInputError } from '../errors';
import { planChanges } from '../planChanges';
import type { Output } from '../output';
import { readPlan } from '../readPlan';
import { snapshotFromAws } from '../snapshotSource';

export interface FixApplyOptions {
  plan: string;
  yes?: boolean;
  profile?: string;
  region?: string;
  auditFile: string;
}

function regionOf(plan: RemediationPlan, options: FixApplyOptions): string {
  const region = options.region ?? plan.steps.find((s) => s.region)?.region ?? process.env.AWS_REGION;
  if (!region) throw new CliInputError('--region is required: the plan names no region');
  return region;
}

/** Who approves is who runs the command: the identity the credentials belong to, as AWS says. */
async function connect(plan: RemediationPlan, options: FixApplyOptions): Promise<{ clients: RemediationClients; approver: string }> {
  const region = regionOf(plan, options);
  const config = { region, credentials: fromNodeProviderChain(options.profile ? { profile: options.profile } : {}) };
  const identity = await new STSClient({ ...config, maxAttempts: 2 }).send(new GetCallerIdentityCommand({})).catch((error: unknown) => {
    throw awsAccessError(error, region, { profile: options.profile });
  });
  return {
    approver: identity.Arn ?? 'unknown',
    clients: {
      s3: new S3Client({ ...config, followRegionRedirects: true }),
      iam: new IAMClient(config),
      kms: keyClients(config),
      ec2: new EC2Client(config),
      analyzer: new AccessAnalyzerClient(config),
    },
  };
}

async function confirmOnTerminal(question: string, { err }: Output): Promise<boolean> {
  if (!process.stdin.isTTY) throw new CliInputError('no terminal to confirm on: pass --yes to apply without asking');
  const rl = createInterface({ input: process.stdin, output: err });
  try {
    return (await rl.question(`${question} Type yes to go on: `)).trim() === 'yes';
  } finally {
    rl.close();
  }
}

function auditTo(path: string) {
  return async (entry: AuditEntry) => {
    appendFileSync(path, `${JSON.stringify(entry)}\n`);
  };
}

export async function fixApply(options: FixApplyOptions, output: Output): Promise<number> {
  const plan = readPlan(options.plan);
  const { clients, approver } = await connect(plan, options);
  const settings: ApplySettings = {
    clients,
    approver,
    sensitiveActions: DEFAULT_SENSITIVE_ACTIONS,
    confirm: (p) =>
      options.yes
        ? Promise.resolve(true)
        : confirmOnTerminal(
            `${planChanges(p).join('\n')}\nApply ${p.steps.map((s) => `${s.action} on ${safeForTerminal(s.target)}`).join(', ')}?`,
            output,
          ),
    audit: auditTo(options.auditFile),
    now: () => new Date(),
    // A new collection each time, with its own cache: the check after writing must see the write.
    freshSnapshot: (request) => snapshotFromAws(request, options),
  };
  const outcome = await applyPlan(plan, settings);
  for (const check of outcome.checks)
    output.err.write(`check ${check.name}: ${check.result}${check.detail ? ` (${safeForTerminal(check.detail)})` : ''}\n`);
  if (outcome.result === 'applied') {
    const verified = outcome.notVerified ? `but could not verify it (${outcome.notVerified})` : 'and verified it';
    output.out.write(`applied plan ${plan.id} ${verified}; undo with: why-denied fix rollback --plan ${options.plan}\n`);
    return 0;
  }
  output.err.write(`why-denied: ${outcome.result === 'refused' ? 'refused' : 'undone'}: ${safeForTerminal(outcome.reason)}\n`);
  return 1;
}

export async function fixRollback(options: FixApplyOptions, output: Output): Promise<number> {
  const plan = readPlan(options.plan);
  const { clients, approver } = await connect(plan, options);
  if (!options.yes && !(await confirmOnTerminal(`Roll back plan ${plan.id}?`, output))) {
    output.err.write('why-denied: not confirmed: nothing was changed\n');
    return 1;
  }
  const outcome = await rollbackPlan(plan, { clients, approver, audit: auditTo(options.auditFile), now: () => new Date() });
  if (outcome.result === 'rolled-back') {
    output.out.write(`rolled back plan ${plan.id}\n`);
    return 0;
  }
  output.err.write(`why-denied: refused: ${safeForTerminal(outcome.reason)}\n`);
  return 1;
}
