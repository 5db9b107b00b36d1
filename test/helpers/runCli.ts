import { spawnSync } from 'node:child_process';
import { CLI } from './paths';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would (`npm test` builds it first). */
export function runCli(args: string[], input?: string | Buffer): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
}
