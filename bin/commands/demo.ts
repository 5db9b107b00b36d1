/** `why-denied demo`: the bundled example denials, diagnosed offline and printed for people. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { shellQuote } from '../../lambda/fixes/shellQuote';
import { explain } from './explain';
import type { Output } from '../output';
import { CliInputError } from '../errors';
import { safeForTerminal } from '../../lambda/notify/safeForTerminal';

export const EXAMPLES_DIR = resolve(__dirname, '../../../test/fixtures/scenarios');

function examples(only: string | undefined): string[] {
  const names = readdirSync(EXAMPLES_DIR)
    .filter((name) => existsSync(join(EXAMPLES_DIR, name, 'event.json')) && (!only || name.includes(only)))
    .sort();
  if (names.length === 0)
    throw new CliInputError(`no example named like "${safeForTerminal(only ?? '')}"; run \`why-denied demo --list\` to see them`);
  return names;
}

/** An example's files as a person pastes them from where they stand: relative when under the current folder. */
function pathOf(name: string, file: string): string {
  const path = relative(process.cwd(), join(EXAMPLES_DIR, name, file));
  return shellQuote(path.startsWith('..') ? join(EXAMPLES_DIR, name, file) : path);
}

/** The first line of an example's README, its story in a few words. */
function storyOf(name: string): string {
  const readme = join(EXAMPLES_DIR, name, 'README.md');
  if (!existsSync(readme)) return '';
  return (readFileSync(readme, 'utf8').split('\n')[0] ?? '').replace(/^#\s*/, '');
}

export async function demo(output: Output, only?: string): Promise<void> {
  const names = examples(only);
  for (const name of names) {
    output.out.write(`\n━━━ ${name} ━━━\n`);
    await explain(
      { event: join(EXAMPLES_DIR, name, 'event.json'), snapshot: join(EXAMPLES_DIR, name, 'snapshot.json'), format: 'text' },
      output,
    );
  }
  const first = names[0] as string;
  output.out.write(
    `\n${names.length} example denials diagnosed offline. Try one yourself (--format json for the contract's JSON), or list them with why-denied demo --list:\n` +
      `  npx why-denied explain --event ${pathOf(first, 'event.json')} --snapshot ${pathOf(first, 'snapshot.json')} --format text\n`,
  );
}

export function listDemos(output: Output, only?: string): void {
  for (const name of examples(only)) output.out.write(`${name.padEnd(48)} ${safeForTerminal(storyOf(name))}\n`);
}
