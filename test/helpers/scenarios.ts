/** Worked denials on disk: `event.json`, `snapshot.json`, `expected.json` per folder. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnosis } from '../../lambda';

export interface Expected {
  verdict?: string;
  layer?: string;
  action?: string;
  statementSid?: string;
  conditionKey?: string;
  notVisible?: string[];
  exitCode?: number;
  confidence?: string;
}

export interface Scenario {
  name: string;
  dir: string;
  event: string;
  snapshot: string;
  expected: Expected;
}

export function loadScenarios(root: string): Scenario[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'expected.json')))
    .sort()
    .map((name) => ({
      name,
      dir: join(root, name),
      event: join(root, name, 'event.json'),
      snapshot: join(root, name, 'snapshot.json'),
      expected: JSON.parse(readFileSync(join(root, name, 'expected.json'), 'utf8')) as Expected,
    }));
}

/** Every field `expected.json` names, checked as the scenarios README defines it; returns what differs. */
export function mismatches(diagnosis: Diagnosis, expected: Expected): string[] {
  const first = diagnosis.decidingLayers[0];
  const problems: string[] = [];
  const check = (field: string, actual: unknown, wanted: unknown) => {
    if (wanted !== undefined && actual !== wanted) problems.push(`${field}: expected ${String(wanted)}, got ${String(actual)}`);
  };
  check('verdict', diagnosis.verdict, expected.verdict);
  check('layer', first?.layer, expected.layer);
  check('action', first?.action, expected.action);
  check('statementSid', first?.statement?.sid, expected.statementSid);
  check('confidence', diagnosis.confidence, expected.confidence);
  if (expected.conditionKey && !first?.conditions.some((c) => c.key === expected.conditionKey)) {
    problems.push(
      `conditionKey: ${expected.conditionKey} is not among ${first?.conditions.map((c) => c.key).join(', ') || 'no conditions'}`,
    );
  }
  for (const layer of expected.notVisible ?? []) {
    if (!diagnosis.notVisible.some((n) => n.layer === layer)) problems.push(`notVisible: ${layer} missing`);
  }
  return problems;
}
