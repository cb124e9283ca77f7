import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The unit files first, then the browser files, each in vitest's own order (longest first when it
 * knows). The browser project's global setup builds the site in the background, which keeps about
 * one core busy for a minute or more: the unit tests use that time, and the browser files, which wait
 * for the build, start when they run out. (vitest's own order puts projects by name: browser first.)
 */
class UnitFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isUnit = (f: TestSpecification) => f.project.name === 'unit';
    return [...sorted.filter(isUnit), ...sorted.filter((f) => !isUnit(f))];
  }
}

export default defineConfig({
  test: {
    // Two files at a time, from both projects. Measured on this two-core machine: one Chromium page
    // already keeps both cores busy (renderer, compositor, raster threads), so a browser file alone
    // runs 3-4x faster than beside another; yet one file at a time took longer in all than two, and
    // four files at a time were only a little faster than two while slowing single tests tenfold.
    // No test measures speed, so a busier machine only makes them slower, never wrong.
    maxWorkers: 2,
    sequence: { sequencer: UnitFilesFirst },
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
          // expect.poll gives up after 1 s by default: on a busy two-core machine a frame the deck loads
          // on a key press can take longer to appear. A guard against a hang, like the timeouts above.
          expect: { poll: { timeout: 30_000 } },
          fileParallelism: true,
        },
      },
    ],
  },
});
