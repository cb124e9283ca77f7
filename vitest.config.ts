import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Four files at a time, from both projects: a browser test mostly waits (for a page, a worker, a
    // frame), and at two the two cores of a CI machine were busy a third of the time. No test
    // measures speed, so a busier machine only makes them slower, never wrong; the browser tests'
    // time-outs are guards against hangs, sized for a machine far busier than this makes it.
    maxWorkers: 4,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**'],
          environment: 'node',
          // A guard against hangs, not a speed check: speed is measured by `npm run bench`, and CI
          // machines are shared, so a property test that takes 2 s here can take 6 s there.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: true,
        },
      },
    ],
  },
});
