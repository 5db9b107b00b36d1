/**
 * The profile names the AWS CLI and SDK would find: `[profile NAME]` (or `[default]`) in the config file,
 * `[NAME]` in the credentials file, each where AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point.
 * https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

function sectionsOf(path: string): string[] {
  try {
    return [...readFileSync(path, 'utf8').matchAll(/^\s*\[([^\]]+)\]\s*$/gm)].map((m) => (m[1] ?? '').trim());
  } catch {
    return [];
  }
}

export function knownProfiles(env: NodeJS.ProcessEnv = process.env): Set<string> {
  const config = sectionsOf(env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config'))
    .filter((s) => s === 'default' || s.startsWith('profile '))
    .map((s) => s.replace(/^profile\s+/, ''));
  const credentials = sectionsOf(env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials'));
  return new Set([...config, ...credentials]);
}
