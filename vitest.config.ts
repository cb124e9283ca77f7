import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two files at a time, from both projects. Measured on this two-core machine: one Chromium page
    // already keeps both cores busy (renderer, compositor, raster threads), so a browser file alone
    // runs 3-4x faster than beside another; yet one file at a time took longer in all than two, and
    // four files at a time were only a little faster than two while slowing single tests tenfold.
    // No test measures speed, so a busier machine only makes them slower, never wrong.
    maxWorkers: 2,
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
