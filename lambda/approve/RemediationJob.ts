/** What the approval endpoint hands the remediator once a plan's approval is recorded. */
export interface RemediationJob {
  kind: 'apply' | 'rollback';
  planId: string;
  /** Slack user ids, in the order they approved. */
  approvers: string[];
  responseUrl: string;
  messageTs: string | null;
}
