/** A plan file from `fix plan`, checked for the shape apply and rollback rely on before anything is read. */
import { readFileSync } from 'node:fs';
import type { RemediationPlan } from '../lambda/model/remediationPlan';
import { CliInputError } from './errors';

const WRITES = new Set(['PutBucketPolicy', 'PutRolePolicy', 'PutUserPolicy', 'PutKeyPolicy', 'ModifyVpcEndpoint']);

export function readPlan(path: string): RemediationPlan {
  let plan: RemediationPlan;
  try {
    plan = JSON.parse(readFileSync(path, 'utf8')) as RemediationPlan;
  } catch (error) {
    throw new CliInputError(`${path}: not a plan (${(error as Error).message})`);
  }
  if (plan?.planVersion !== 1 || typeof plan.id !== 'string' || !Array.isArray(plan.steps)) {
    throw new CliInputError(`${path}: not a why-denied plan (planVersion 1 with an id and steps)`);
  }
  const unknown = plan.steps.find((step) => !WRITES.has(step?.action));
  if (unknown) throw new CliInputError(`${path}: step ${String(unknown?.action)} is not a change this service applies`);
  return plan;
}
