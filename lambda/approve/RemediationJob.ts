/**
 * What the approval endpoint hands the remediator once a plan's approval is recorded: which plan, and
 * whether to apply or roll it back. Nothing else: the approvers, the reply address and the plan itself are
 * read from the table and checked again, never taken from the invocation.
 */
export interface RemediationJob {
  kind: 'apply' | 'rollback';
  planId: string;
}
