/**
 * The suites Stryker runs (test/mutation/engineSuites.ts): those that call the engine in this process.
 * CLI suites spawn the built CLI, CDK suites synthesize the stack, and the service suites start local
 * servers; none reaches a rule the mutants change that these do not, and each would slow every mutant.
 * @type {import('jest').Config}
 */
const path = require('node:path');
const base = require('./jest.config');

module.exports = {
  ...base,
  reporters: ['default'],
  watchman: false,
  testMatch: ['<rootDir>/test/mutation/engineSuites.ts'],
  // A mutant is killed by its first failing test: the rest of its covering tests are skipped.
  // An absolute path: Stryker's jest runner wraps the environment and resolves it without <rootDir>.
  testEnvironment: path.join(__dirname, 'test/mutation/failFastEnvironment.js'),
};
