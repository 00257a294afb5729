import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    // Two files at a time on CI's 2 cores (vitest's default would be one: cores − 1). Most e2e time
    // is spent waiting on sandboxes, real servers and child processes, not on the CPU: on a quiet
    // machine the suite took 285 s with two workers against 450–600 s with one, with no failure.
    maxWorkers: 2,
  },
});
