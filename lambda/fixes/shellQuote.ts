/**
 * POSIX single-quoting: object keys are attacker-controlled and must never become shell syntax in a
 * command someone pastes at 2 a.m.
 */
export function shellQuote(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}
