/**
 * Prints the plain closing line CI reads ("N passed, N failed, N skipped"); jest's own summary is not read.
 * A suite that fails to load counts as a failure, so a broken file never passes for an empty one.
 */
class PassFailReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped\n`);
  }
}

module.exports = PassFailReporter;
