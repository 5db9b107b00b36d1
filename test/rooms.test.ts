/**
 * The runtime's rooms (lambda/<room>/) import one another in one direction only: a cycle between two rooms
 * means neither can be read, changed or tested without the other.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { PROJECT_ROOT } from './helpers/paths';

const LAMBDA = join(PROJECT_ROOT, 'lambda');

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** room → the rooms its files import from. */
function roomImports(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of sources(LAMBDA)) {
    const room = relative(LAMBDA, file).split('/')[0]!;
    for (const [, target] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const other = relative(LAMBDA, normalize(join(dirname(file), target!))).split('/');
      if (other.length > 1 && other[0] !== room && !other[0]!.startsWith('..')) {
        edges.set(room, (edges.get(room) ?? new Set()).add(other[0]!));
      }
    }
  }
  return edges;
}

describe('the rooms of lambda/', () => {
  it('import one another without a cycle', () => {
    const edges = roomImports();
    const cycles: string[] = [];
    const visit = (room: string, path: string[]) => {
      if (path.includes(room)) {
        cycles.push([...path.slice(path.indexOf(room)), room].join(' → '));
        return;
      }
      for (const next of edges.get(room) ?? []) visit(next, [...path, room]);
    };
    for (const room of edges.keys()) visit(room, []);
    expect([...new Set(cycles)]).toEqual([]);
  });
});
