// Mocha reporter: the usual spec output, plus the run's counts written as JSON to the file named
// by $GMP_TEST_SUMMARY_FILE (when set). scripts/run-tests.mjs adds up every suite from these files
// instead of scraping "N passing" out of mixed output.
'use strict';
const { writeFileSync } = require('node:fs');
const Mocha = require('mocha/lib/mocha.cjs');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.GMP_TEST_SUMMARY_FILE;
      if (!file) return;
      const { passes, failures, pending } = runner.stats;
      writeFileSync(file, JSON.stringify({ passed: passes, failed: failures, pending }));
    });
  }
}

module.exports = SummaryReporter;
