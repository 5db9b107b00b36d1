/**
 * `why-denied collect`: reads the account (read-only, standard credential chain) and prints the snapshot
 * the engine needs for this event.
 */
import { CliInputError } from '../errors';
import { readEvent } from '../readInput';
import type { Output } from '../output';
import { snapshotFromAws } from '../snapshotSource';

export interface CollectOptions {
  event: string;
  profile?: string;
  region?: string;
  roleName?: string;
}

export async function collect(options: CollectOptions, { out }: Output): Promise<void> {
  const parsed = readEvent(options.event);
  const request = parsed.requests[0];
  if (!request) throw new CliInputError(`${options.event}: no failed upload or KMS call in scope to collect for`);
  if (parsed.requests.length > 1)
    throw new CliInputError(`${options.event}: ${parsed.requests.length} records; collect takes one (use replay for log files)`);
  out.write(`${JSON.stringify(await snapshotFromAws(request, options), null, 2)}\n`);
}
