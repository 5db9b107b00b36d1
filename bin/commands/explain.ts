/** `why-denied explain`: one event (or log file) and a snapshot → the diagnosis on stdout, and to Slack if asked. */
import { diagnose } from '../../lambda';
import { postToSlack } from '../../lambda/notify/postToSlack';
import { slackPayload } from '../../lambda/notify/slackPayload';
import { CliInputError } from '../errors';
import { FORMATS, type Format, render } from '../formats';
import { readChange, readEvent, readSnapshot } from '../readInput';
import { snapshotFromAws } from './collect';
import { renderWhatIf } from '../renderWhatIf';
import { whatIf } from '../../lambda/whatIf/whatIf';
import { PatchError } from '../../lambda/whatIf/errors';

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

export interface Output {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  color: boolean;
}

export async function explain(options: ExplainOptions, { out, err, color }: Output): Promise<void> {
  if (!(FORMATS as readonly string[]).includes(options.format)) {
    throw new CliInputError(`--format ${options.format}: expected one of ${FORMATS.join(', ')}`);
  }
  if (options.slackWebhook && !isAcceptableWebhook(options.slackWebhook)) {
    throw new CliInputError('--slack-webhook: expected an https:// incoming-webhook URL (plain http only to a loopback address)');
  }
  const parsed = readEvent(options.event);
  const first = parsed.requests[0];
  // Without --snapshot the account is read now, for the first request: a log file needs one per event.
  const snapshot = options.snapshot ? readSnapshot(options.snapshot) : first ? await snapshotFromAws(first, options) : null;
  if (!snapshot) throw new CliInputError(`${options.event}: nothing in scope to diagnose`);
  if (parsed.skipped.length > 0) {
    const malformed = parsed.skipped.filter((s) => s.malformed).length;
    err.write(
      `${options.event}: ${parsed.skipped.length} record(s) not diagnosed (${malformed} malformed, ${parsed.skipped.length - malformed} out of scope)\n`,
    );
  }
  if (options.patch) {
    const change = readChange(options.patch);
    const results = parsed.requests.map((request) => whatIfOrInputError(options.patch ?? '', () => whatIf(request, snapshot, change)));
    out.write(`${renderWhatIf(results, options.format as Format, color)}\n`);
    return;
  }
  const diagnoses = parsed.requests.map((request) => diagnose(request, snapshot));
  out.write(
    `${render(diagnoses, options.format as Format, { asList: parsed.form === 'log-file', color, snsTopicArn: options.snsTopic })}\n`,
  );
  if (options.slackWebhook) {
    for (const diagnosis of diagnoses) {
      await postToSlack(options.slackWebhook, slackPayload(diagnosis), {
        onRetry: (attempt, reason, delay) => err.write(`Slack attempt ${attempt} failed (${reason}); retrying in ${delay} ms\n`),
      });
    }
    err.write(`posted ${diagnoses.length} diagnosis message(s) to Slack\n`);
  }
}
