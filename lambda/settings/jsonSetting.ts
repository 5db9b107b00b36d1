/** An environment variable the stack writes as a JSON object: parsed, or refused by name at start. */
import { ConfigurationError } from './ConfigurationError';

export function jsonObjectSetting(name: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigurationError(`environment variable ${name} is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigurationError(`${name} is not an object`);
  return parsed as Record<string, unknown>;
}
