/** The function was deployed with a setting it cannot work with: nothing to retry until it is redeployed. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export function requiredSetting(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigurationError(`environment variable ${name} is not set`);
  return value;
}
