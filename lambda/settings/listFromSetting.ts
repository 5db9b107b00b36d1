/** A comma-separated setting (`-c key=a,b` in the CDK app, an environment variable in a function) as a list. */
export function listFromSetting(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
