/** One test per scenario, through the CLI exactly as the contract's command line describes. */
import type { Diagnosis } from '../../lambda';
import { runCli } from './runCli';
import { loadScenarios, mismatches } from './scenarios';
import { schemaErrors } from './schema';

export function scenarioSuite(root: string): void {
  it.each(loadScenarios(root).map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    const result = runCli(['explain', '--event', scenario.event, '--snapshot', scenario.snapshot, '--format', 'json']);
    const wantedExit = scenario.expected.exitCode ?? 0;
    expect({ status: result.status, stderr: wantedExit === 0 ? result.stderr : '' }).toEqual({ status: wantedExit, stderr: '' });
    if (wantedExit !== 0) {
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(scenario.event);
      return;
    }
    const diagnosis = JSON.parse(result.stdout) as Diagnosis;
    expect(schemaErrors(diagnosis)).toEqual([]);
    expect(mismatches(diagnosis, scenario.expected)).toEqual([]);
  });
}
