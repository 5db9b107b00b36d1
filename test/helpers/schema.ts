/** The contract's schemas (copies kept identical to shared/contract by contract.test.ts). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const compiled = (file: string) => ajv.compile(JSON.parse(readFileSync(resolve(__dirname, '../contract', file), 'utf8')));
const validateDiagnosis = compiled('diagnosis.schema.json');
const validatePlan = compiled('remediation.schema.json');

function errorsOf(validate: typeof validateDiagnosis, value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

export function schemaErrors(value: unknown): string[] {
  return errorsOf(validateDiagnosis, value);
}

export function planSchemaErrors(value: unknown): string[] {
  return errorsOf(validatePlan, value);
}
