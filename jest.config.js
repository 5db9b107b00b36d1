/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  reporters: ['default', '<rootDir>/test/helpers/passFailReporter.js'],
  setupFiles: ['<rootDir>/test/helpers/quietEnvironment.js'],
};
