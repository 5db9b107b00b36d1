/**
 * The contract's schemas (copies kept identical to shared/contract by contract.test.ts). Ajv is loaded and
 * each schema compiled on first use: `npm run mutation` loads this module again for every mutant it tries,
 * and most of those runs never validate anything (about 30 ms a run).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';

const compiled = new Map<string, Promise<ValidateFunction>>();

async function compile(file: string): Promise<ValidateFunction> {
  const [{ default: Ajv2020 }, { default: addFormats }] = await Promise.all([import('ajv/dist/2020'), import('ajv-formats')]);
  // The formats the contract names (date-time) are checked, not ignored with a warning.
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
  return ajv.compile(JSON.parse(readFileSync(resolve(__dirname, '../contract', file), 'utf8')));
}

async function errorsAgainst(file: string, value: unknown): Promise<string[]> {
  let validate = compiled.get(file);
  if (!validate) {
    validate = compile(file);
    compiled.set(file, validate);
  }
  const check = await validate;
  return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

export function schemaErrors(value: unknown): Promise<string[]> {
  return errorsAgainst('diagnosis.schema.json', value);
}

export function planSchemaErrors(value: unknown): Promise<string[]> {
  return errorsAgainst('remediation.schema.json', value);
}
