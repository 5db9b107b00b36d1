import { spawn, spawnSync } from 'node:child_process';
import { CLI } from './paths';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would (`npm test` builds it first). */
export function runCli(args: string[], input?: string | Buffer): CliResult {
  return runCliWithEnv(args, {}, input);
}

export function runCliWithEnv(args: string[], env: Record<string, string>, input?: string | Buffer): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: result.status, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
}

/** For tests whose counterpart (a local HTTP server) lives in this process: spawnSync would block it. */
export function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
