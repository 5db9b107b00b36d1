import { oneLine } from '../model/inertText';

/**
 * Why an event could not be diagnosed. The message quotes the record (event names, error codes, ARNs), so it
 * is made one inert line of at most 300 characters here, at the library's boundary; nothing carries a stack.
 */
export class EventError extends Error {
  constructor(
    message: string,
    readonly eventId: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(oneLine(message), options);
    this.name = 'EventError';
  }
}

/** The input is not a CloudTrail record, EventBridge envelope or log file, or lacks a field we need. */
export class MalformedEventError extends EventError {
  override name = 'MalformedEventError';
}

/** A well-formed record that why-denied does not diagnose: another API call, or one that succeeded. */
export class OutOfScopeEventError extends EventError {
  override name = 'OutOfScopeEventError';
}
