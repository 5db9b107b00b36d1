/**
 * One test per scenario, in this process through the library as `explain` runs it: the file's records
 * joined by upload, each diagnosed against the snapshot. A scenario that expects exit code 2 expects the
 * record or the snapshot to be refused. The CLI itself is tested end to end in cli.test.ts.
 */
import { readFileSync } from 'node:fs';
import { type Diagnosis, diagnoseUpload, joinUploads, parseEvent, parseSnapshot, readEventDocument } from '../../lambda';
import { loadScenarios, mismatches, type Scenario } from './scenarios';
import { schemaErrors } from './schema';

/** @returns the diagnoses, or the reason `explain` would exit 2 with */
export function diagnoseScenario(scenario: Scenario): { diagnoses: Diagnosis[] } | { refused: string } {
  try {
    const parsed = parseEvent(readEventDocument(readFileSync(scenario.event)));
    const malformed = parsed.skipped.find((s) => s.malformed);
    if (malformed) return { refused: malformed.reason };
    if (parsed.requests.length === 0) return { refused: 'nothing in scope to diagnose' };
    const snapshot = parseSnapshot(JSON.parse(readFileSync(scenario.snapshot, 'utf8')));
    return { diagnoses: joinUploads(parsed.requests).map((denial) => diagnoseUpload(denial, snapshot)) };
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

export function scenarioSuite(root: string): void {
  it.each(loadScenarios(root).map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const result = diagnoseScenario(scenario);
    if ((scenario.expected.exitCode ?? 0) !== 0) {
      expect(result).toEqual({ refused: expect.any(String) });
      return;
    }
    if ('refused' in result) throw new Error(`refused: ${result.refused}`);
    expect(result.diagnoses).toHaveLength(1);
    const diagnosis = result.diagnoses[0]!;
    expect(await schemaErrors(diagnosis)).toEqual([]);
    expect(mismatches(diagnosis, scenario.expected)).toEqual([]);
  });
}
