/**
 * Stops a mutant's run at its first failing test. Jest's `bail` counts failed files, and Stryker runs the
 * engine's suites as one file (engineSuites.ts), so without this a killed mutant still ran every test that
 * covers it. Only jest.mutation.config.js uses it; `npm test` reports every failure.
 * The skip on `test_start` is jest-circus's documented event hook: https://github.com/jestjs/jest/issues/6527
 */
const { TestEnvironment } = require('jest-environment-node');

class FailFastEnvironment extends TestEnvironment {
  failed = false;

  async handleTestEvent(event) {
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') this.failed = true;
    else if (event.name === 'test_start' && this.failed) event.test.mode = 'skip';
  }
}

module.exports = FailFastEnvironment;
