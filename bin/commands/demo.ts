/** `why-denied demo`: the bundled example denials, diagnosed offline and printed for people. */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { explain } from './explain';

export const EXAMPLES_DIR = resolve(__dirname, '../../../test/fixtures/scenarios');

export function demo(out: NodeJS.WritableStream, err: NodeJS.WritableStream, color: boolean, only?: string): void {
  const names = readdirSync(EXAMPLES_DIR)
    .filter((name) => existsSync(join(EXAMPLES_DIR, name, 'event.json')) && (!only || name.includes(only)))
    .sort();
  for (const name of names) {
    out.write(`\n━━━ ${name} ━━━\n`);
    explain(
      { event: join(EXAMPLES_DIR, name, 'event.json'), snapshot: join(EXAMPLES_DIR, name, 'snapshot.json'), format: 'text' },
      out,
      err,
      color,
    );
  }
  out.write(
    `\n${names.length} example denials diagnosed offline. Try: npx why-denied explain --event <event.json> --snapshot <snapshot.json>\n`,
  );
}
