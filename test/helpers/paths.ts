import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '../..');
export const CLI = resolve(PROJECT_ROOT, 'dist/bin/why-denied.js');
export const OWN_SCENARIOS = resolve(PROJECT_ROOT, 'test/fixtures/scenarios');

/**
 * `shared/` sits beside the clone in CI and on developers' machines; a user's clone has none. Stryker runs
 * the tests from a copy of the project elsewhere, so `npm run mutation` says where it is.
 */
export const SHARED_DIR = process.env.WHY_DENIED_SHARED_DIR ?? resolve(PROJECT_ROOT, '../shared');
export const SHARED_SCENARIOS = resolve(SHARED_DIR, 'scenarios');
export const hasSharedScenarios = existsSync(SHARED_SCENARIOS);
