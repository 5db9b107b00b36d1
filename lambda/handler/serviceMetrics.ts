/**
 * The metrics the service emits under the default `service` dimension alone, so that the dashboard and
 * alarms graph exactly what the code writes. Per-layer detail goes to `DiagnosesByLayer` (verdict, layer)
 * and `UnseenLayers` (layer), which are not graphed.
 */
export const SERVICE_METRIC_NAMESPACE = 'WhyDenied';
export const SERVICE_NAME = 'why-denied';

export const SERVICE_METRICS = {
  diagnoses: 'Diagnoses',
  suppressed: 'Suppressed',
  publishFailures: 'PublishFailures',
  /** A fix that could not be kept for approval: the alert went out without its Apply button. */
  proposalFailures: 'ProposalFailures',
  /** Records that can never be diagnosed (malformed, out of scope): acknowledged, not retried. */
  rejectedRecords: 'RejectedRecords',
  /** Records that failed and go back to the queue for a retry. */
  failedRecords: 'FailedRecords',
} as const;
