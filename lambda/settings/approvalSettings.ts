/**
 * The approval settings the endpoint and the remediator both hold, read from the same environment: each
 * checks them itself, so neither trusts the other's word for who approved, how old a plan may be, or where
 * a reply may go.
 */
import { SLACK_RESPONSE_URL_PREFIXES } from './slackHosts';
import { ConfigurationError, requiredSetting } from './ConfigurationError';
import { listFromSetting } from './listFromSetting';

/** A plan is approved within a day of the diagnosis that made it, unless the stack says otherwise. */
export const DEFAULT_PLAN_MAX_AGE_HOURS = 24;

export interface ApprovalSettings {
  approverIds: ReadonlySet<string>;
  secondApprover: boolean;
  maxPlanAgeSeconds: number;
  responseUrlPrefixes: readonly string[];
}

export function approvalSettingsFrom(env: NodeJS.ProcessEnv): ApprovalSettings {
  const hours = Number(env.PLAN_MAX_AGE_HOURS ?? DEFAULT_PLAN_MAX_AGE_HOURS);
  if (!Number.isFinite(hours) || hours <= 0)
    throw new ConfigurationError(`PLAN_MAX_AGE_HOURS must be a positive number of hours, not ${env.PLAN_MAX_AGE_HOURS}`);
  return {
    approverIds: new Set(listFromSetting(requiredSetting(env, 'APPROVER_SLACK_USER_IDS'))),
    secondApprover: env.SECOND_APPROVER === 'true',
    maxPlanAgeSeconds: hours * 3600,
    responseUrlPrefixes: env.SLACK_RESPONSE_URL_PREFIXES ? listFromSetting(env.SLACK_RESPONSE_URL_PREFIXES) : SLACK_RESPONSE_URL_PREFIXES,
  };
}
