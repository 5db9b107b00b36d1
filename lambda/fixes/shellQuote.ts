/**
 * POSIX single-quoting: object keys are attacker-controlled and must never become shell syntax in a
 * command someone pastes at 2 a.m.
 */
export function shellQuote(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

/**
 * A value the diagnosis could not name, as a shell variable that must be set: a `<placeholder>` would paste
 * as a redirection. @example requiredVariable('BUCKET', 'the bucket name') // "${BUCKET:?set BUCKET to the bucket name}"
 */
export function requiredVariable(variable: string, what: string): string {
  return `"\${${variable}:?set ${variable} to ${what}}"`;
}
