/** A notification that could not be delivered. It propagates, so the record is retried and finally dead-lettered. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
}

/** The Slack webhook refused the message or could not be reached; carries no URL, which is a secret. */
export class SlackDeliveryError extends DeliveryError {
  override name = 'SlackDeliveryError';
  constructor(
    message: string,
    readonly attempts: number,
    readonly lastStatus: number | null,
  ) {
    super(message);
  }
}
