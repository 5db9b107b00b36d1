/** `why-denied explain`: one event (or log file) and a snapshot → the diagnosis on stdout. */
import { diagnose } from '../../lambda';
import { CliInputError } from '../errors';
import { FORMATS, type Format, render } from '../formats';
import { readEvent, readSnapshot } from '../readInput';

export interface ExplainOptions {
  event: string;
  snapshot?: string;
  format: string;
}

export function explain(options: ExplainOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream, color: boolean): void {
  if (!(FORMATS as readonly string[]).includes(options.format)) {
    throw new CliInputError(`--format ${options.format}: expected one of ${FORMATS.join(', ')}`);
  }
  if (!options.snapshot) {
    throw new CliInputError('--snapshot is required: this build cannot collect a snapshot from AWS yet');
  }
  const parsed = readEvent(options.event);
  const snapshot = readSnapshot(options.snapshot);
  if (parsed.skipped.length > 0) {
    const malformed = parsed.skipped.filter((s) => s.malformed).length;
    err.write(
      `${options.event}: ${parsed.skipped.length} record(s) not diagnosed (${malformed} malformed, ${parsed.skipped.length - malformed} out of scope)\n`,
    );
  }
  const diagnoses = parsed.requests.map((request) => diagnose(request, snapshot));
  out.write(`${render(diagnoses, options.format as Format, parsed.form === 'log-file', color)}\n`);
}
