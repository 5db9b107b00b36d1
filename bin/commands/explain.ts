/** `why-denied explain`: one event (or log file) and a snapshot → the diagnosis on stdout, and to Slack if asked. */
import { diagnoseUpload, type Diagnosis, joinUploads, type ParsedEvent, SnapshotError } from '../../lambda';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import { safeForTerminal } from '../../lambda/notify/safeForTerminal';
import { postToSlack } from '../../lambda/notify/postToSlack';
import { slackPayload } from '../../lambda/notify/slackPayload';
import { CliInputError } from '../errors';
import { FORMATS, type Format, render } from '../formats';
import { readChange, readEvent, readSnapshot } from '../readInput';
import { recordProblemLine } from '../recordProblem';
import { snapshotFromAws } from '../snapshotSource';
import type { Output } from '../output';
import { renderWhatIf } from '../renderWhatIf';
import { whatIf } from '../../lambda/whatIf/whatIf';
import { PatchError } from '../../lambda/model/patchError';

/** A patch that names a layer or policy the snapshot lacks is bad input, named by its file. */
function whatIfOrInputError<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof PatchError) throw new CliInputError(`${path}: ${error.message}`);
    throw error;
  }
}

/** The URL is a secret, so it travels only over TLS, or over loopback to a local test server. */
function isAcceptableWebhook(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'https:' || (protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname));
  } catch {
    return false;
  }
}

export interface ExplainOptions {
  event: string;
  snapshot?: string;
  format: string;
  snsTopic?: string;
  slackWebhook?: string;
  patch?: string;
  profile?: string;
  region?: string;
  roleName?: string;
}

/** Malformed records of a log file, named; out-of-scope ones (most of any trail) only counted. */
const LISTED_SKIPS = 20;

export function reportSkipped(parsed: ParsedEvent, file: string, err: NodeJS.WritableStream): void {
  if (parsed.skipped.length === 0) return;
  const malformed = parsed.skipped.filter((s) => s.malformed);
  err.write(
    `${safeForTerminal(file)}: ${parsed.skipped.length} record(s) not diagnosed (${malformed.length} malformed, ${parsed.skipped.length - malformed.length} out of scope)\n`,
  );
  for (const skip of malformed.slice(0, LISTED_SKIPS)) {
    err.write(`${recordProblemLine({ file, ...skip })}\n`);
  }
}

/**
 * Each upload diagnosed once, its other records (the KMS call S3 made, the other account's copy) joined as
 * evidence; one the engine cannot diagnose is reported and the rest printed.
 */
function diagnoseEach(
  parsed: ParsedEvent,
  snapshot: AccountSnapshot,
  files: { event: string; snapshot: string },
  err: NodeJS.WritableStream,
) {
  const file = files.event;
  const diagnoses: Diagnosis[] = [];
  let failed = 0;
  for (const denial of joinUploads(parsed.requests)) {
    const eventId = denial.request.event.id;
    for (const joined of denial.joined) {
      const what = `${joined.event.source} ${joined.event.name}`;
      err.write(
        `${recordProblemLine({ file, eventId: joined.event.id, reason: `${what} of the same upload as event ${eventId}: one diagnosis` })}\n`,
      );
    }
    try {
      diagnoses.push(diagnoseUpload(denial, snapshot));
    } catch (error) {
      failed += 1;
      // A snapshot of another principal or bucket is the snapshot's fault: the line names that file.
      err.write(
        error instanceof SnapshotError
          ? `why-denied: ${safeForTerminal(files.snapshot)}: ${safeForTerminal(error.message)} (event ${safeForTerminal(eventId)} in ${safeForTerminal(file)})\n`
          : `${recordProblemLine({ file, eventId, reason: `not diagnosed (${(error as Error).message})` })}\n`,
      );
    }
  }
  return { diagnoses, failed };
}

/** @returns the exit code: 0, or 2 when some record of the input could not be diagnosed. */
export async function explain(options: ExplainOptions, { out, err, color }: Output): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(options.format)) {
    throw new CliInputError(`--format ${options.format}: expected one of ${FORMATS.join(', ')}`);
  }
  if (options.slackWebhook && !isAcceptableWebhook(options.slackWebhook)) {
    throw new CliInputError('--slack-webhook: expected an https:// incoming-webhook URL (plain http only to a loopback address)');
  }
  const parsed = readEvent(options.event);
  const first = parsed.requests[0];
  if (!first) {
    reportSkipped(parsed, options.event, err);
    // A log file with no denial in it is an answer, not bad input: an empty list, when it had no bad records.
    if (parsed.form === 'log-file' && options.format === 'json' && !parsed.skipped.some((s) => s.malformed)) {
      out.write('[]\n');
      return 0;
    }
    throw new CliInputError(`${options.event}: nothing in scope to diagnose`);
  }
  // Without --snapshot the account is read now, for the first request: a log file needs one per event.
  const snapshot = options.snapshot ? readSnapshot(options.snapshot) : await snapshotFromAws(first, { ...options, offline: true });
  reportSkipped(parsed, options.event, err);
  if (options.format === 'sns' && !options.snsTopic) {
    err.write(
      'no --sns-topic: the PublishCommand input below has no TopicArn; pass --sns-topic arn:aws:sns:REGION:ACCOUNT:NAME (the stack output TopicArn)\n',
    );
  }
  if (options.patch) {
    const change = readChange(options.patch);
    const results = parsed.requests.map((request) => whatIfOrInputError(options.patch ?? '', () => whatIf(request, snapshot, change)));
    out.write(`${renderWhatIf(results, options.format as Format, { color, snsTopicArn: options.snsTopic })}\n`);
    return 0;
  }
  const { diagnoses, failed } = diagnoseEach(
    parsed,
    snapshot,
    { event: options.event, snapshot: options.snapshot ?? 'the account as read now' },
    err,
  );
  if (diagnoses.length > 0) {
    out.write(
      `${render(diagnoses, options.format as Format, { asList: parsed.form === 'log-file', color, snsTopicArn: options.snsTopic })}\n`,
    );
  }
  if (options.slackWebhook) {
    for (const diagnosis of diagnoses) {
      await postToSlack(options.slackWebhook, slackPayload(diagnosis), {
        onRetry: (attempt, reason, delay) => err.write(`Slack attempt ${attempt} failed (${reason}); retrying in ${delay} ms\n`),
      });
    }
    err.write(`posted ${diagnoses.length} diagnosis message(s) to Slack\n`);
  }
  return failed > 0 || parsed.skipped.some((s) => s.malformed) ? 2 : 0;
}
