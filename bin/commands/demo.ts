/** `why-denied demo`: the bundled example denials, diagnosed offline and printed for people. */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { explain } from './explain';
import type { Output } from '../output';
import { CliInputError } from '../errors';
import { safeForTerminal } from '../../lambda/notify/safeForTerminal';

export const EXAMPLES_DIR = resolve(__dirname, '../../../test/fixtures/scenarios');

export async function demo(output: Output, only?: string): Promise<void> {
  const names = readdirSync(EXAMPLES_DIR)
    .filter((name) => existsSync(join(EXAMPLES_DIR, name, 'event.json')) && (!only || name.includes(only)))
    .sort();
  if (names.length === 0)
    throw new CliInputError(`no example named like "${safeForTerminal(only ?? '')}"; run \`why-denied demo\` for all of them`);
  for (const name of names) {
    output.out.write(`\n━━━ ${name} ━━━\n`);
    await explain(
      { event: join(EXAMPLES_DIR, name, 'event.json'), snapshot: join(EXAMPLES_DIR, name, 'snapshot.json'), format: 'text' },
      output,
    );
  }
  output.out.write(
    `\n${names.length} example denials diagnosed offline. Try: npx why-denied explain --event <event.json> --snapshot <snapshot.json>\n`,
  );
}
