import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Browser files that take a minute or more (measured in a CI run on two cores: lesson-figures
 * 211 s, embed and embed-fit 126 s, article 105 s, offline 91 s, labs 84 s, csp 76 s, lessons 72 s,
 * pictures 66 s, pagination 54 s), longest first. A fresh checkout has no timings of its own, and
 * vitest then orders files by size: lessons and pictures, small files but long, ran last, one worker
 * idle while the other finished them. Only the order depends on this list; a file not in it runs
 * after these, in vitest's order.
 */
const LONG_BROWSER_FILES = ['lesson-figures', 'embed', 'embed-fit', 'article', 'offline', 'labs', 'csp', 'lessons', 'pictures', 'pagination'];

/**
 * The unit files first, then the browser files, the long ones first. The browser project's global
 * setup builds the site in the background, which keeps about one core busy for a minute or more:
 * the unit tests use that time, and the browser files, which wait for the build, start when they
 * run out. (vitest's own order puts projects by name: browser first.)
 */
class UnitFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isUnit = (f: TestSpecification) => f.project.name === 'unit';
    const rank = (f: TestSpecification) => {
      const i = LONG_BROWSER_FILES.indexOf(f.moduleId.replace(/^.*\/test\/browser\//, '').replace(/\.test\.ts$/, ''));
      return i < 0 ? LONG_BROWSER_FILES.length : i;
    };
    // Array.prototype.sort is stable: files of one rank keep vitest's order.
    const browser = sorted.filter((f) => !isUnit(f)).sort((a, b) => rank(a) - rank(b));
    return [...sorted.filter(isUnit), ...browser];
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
