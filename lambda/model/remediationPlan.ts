/**
 * An approval-gated change that lets exactly one denied request through: what `fix plan` writes and
 * `fix apply` carries out. Mirrors `shared/contract/remediation.schema.json`.
 */
import type { FixOwner } from './diagnosis';
import type { DeniedRequest } from './request';

export type StepAction =
  | 'PutBucketPolicy'
  | 'PutRolePolicy'
  | 'PutUserPolicy'
  | 'PutGroupPolicy'
  | 'CreatePolicyVersion'
  | 'PutKeyPolicy'
  | 'ModifyVpcEndpoint'
  | 'UpdatePolicy';

export interface PlanStep {
  service: 's3' | 'iam' | 'kms' | 'ec2' | 'organizations';
  /** The SDK v3 command name without the `Command` suffix. */
  action: StepAction;
  account: string;
  region: string | null;
  /** ARN of what the step changes. */
  target: string;
  /** The exact SDK input; policy documents are complete JSON strings, never fragments. */
  parameters: Record<string, unknown>;
  precondition: { documentSha256: string | null };
  rollback: { action: string; parameters: Record<string, unknown> };
}

export interface AlsoAllowed {
  principal: string;
  action: string;
  resource: string;
  /** The job's next upload beside this one: what a grant for the job is meant to allow. */
  intended?: boolean;
}

export interface PlanCheck {
  name: string;
  result: 'pass' | 'fail' | 'not-run';
  detail?: string;
}

export interface RemediationPlan {
  planVersion: 1;
  id: string;
  createdAt: string;
  eventId: string;
  fingerprint: string;
  fixIndex?: number;
  /** The fix in words, with how far it reaches ("lets UploaderRole write any object under daily/ in …"). */
  summary?: string;
  owner: FixOwner;
  applicable: boolean;
  reason?: string;
  verdictBefore: string;
  verdictAfter: string;
  alsoAllows: AlsoAllowed[];
  checks?: PlanCheck[];
  steps: PlanStep[];
  /**
   * The denied request the plan was made for, so that apply can diagnose it again on the account as it is
   * then. An addition to the contract's plan (which allows more properties): the contract's `fix apply
   * --plan P` takes no event, yet must refuse a change the fresh diagnosis no longer needs.
   */
  request?: DeniedRequest;
}
