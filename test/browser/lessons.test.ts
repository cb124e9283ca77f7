/**
 * What every lesson page must do in Chromium, whatever its simulation: load
 * clean, compute the same traces as Node for every scenario, and honour its own
 * article links. Its figures (layout on a phone and a laptop, and axe with every
 * figure started) are lesson-figures.test.ts; lesson-specific behaviour lives in
 * the lesson's own test file.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import { decodeState, scenarioState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { LESSONS, openPage, useBrowser, waitReady, type Watched } from './chromium.ts';

const browser = useBrowser();

test('every simulation has a lesson, and every lesson a simulation', () => {
  expect([...LESSONS].sort()).toEqual(Object.keys(simulations).sort());
});

// One page per lesson, read by its tests in turn as one reader would use it: loaded and played,
// then every scenario picked, then its article links followed.
describe.each(LESSONS.map((id) => [id]))('the %s lesson', (id) => {
  const sim = simulations[id]!;
  const article = `${site}articles/${id}/`;
  let w: Watched;

  beforeAll(async () => {
    w = await openPage(browser(), site);
    await w.page.goto(article);
    await waitReady(w.page);
  });
  afterAll(async () => {
    await w?.context.close();
  });

  test('loads with no console error and no request outside the site, and plays', async () => {
    await w.page.locator('#sim button[data-act=play]').click();
    await w.page.waitForFunction(() => document.querySelector('ops-player#sim')?.getAttribute('data-playing') === 'true');
    await w.page.waitForTimeout(300);
    expect(w.errors).toEqual([]);
    expect(w.outside).toEqual([]);
  });

  test('for every scenario, Chromium computes the same trace hash as Node, and so does the worker', async () => {
    // Each picked in the workbench, as a reader would: computed in the page, or in its worker once started.
    const picker = w.page.locator('#sim [data-role=scenario]');
    for (const scenario of sim.scenarios) {
      const state = scenarioState(sim, scenario.id);
      const hash = sim.run(state.params, state.seed).hash;
      await picker.selectOption(scenario.id);
      await w.page
        .waitForFunction((h) => document.querySelector('ops-player#sim')?.getAttribute('data-trace-hash') === h, hash, { timeout: 30_000 })
        .catch(() => undefined);
      expect(await w.page.locator('ops-player#sim').getAttribute('data-trace-hash'), scenario.id).toBe(hash);
      // Computed in Chromium (the page as built carries Node's hash but no data-ran-in).
      expect(await w.page.locator('ops-player#sim').getAttribute('data-ran-in'), scenario.id).toMatch(/^(page|worker)$/);
    }
    // A reader reaching for a control starts the simulation worker, which loads this lesson's model;
    // once it is ready, a change is computed there, off the page's thread, with the same result.
    const seedInput = w.page.locator('#sim [data-role=seed]');
    await seedInput.focus();
    await w.page.waitForFunction(() => /^(ready|failed)$/.test(document.querySelector('ops-player#sim')?.getAttribute('data-worker') ?? ''), undefined, { timeout: 30_000 });
    expect(await w.page.locator('ops-player#sim').getAttribute('data-worker'), 'the worker loaded the model').toBe('ready');
    const last = scenarioState(sim, sim.scenarios.at(-1)!.id);
    const seed = last.seed + 1;
    await seedInput.fill(String(seed));
    await seedInput.dispatchEvent('change');
    const hash = sim.run(last.params, seed).hash;
    await w.page.waitForFunction((h) => document.querySelector('ops-player#sim')?.getAttribute('data-trace-hash') === h, hash, { timeout: 30_000 });
    expect(await w.page.locator('ops-player#sim').getAttribute('data-ran-in')).toBe('worker');
    expect(w.errors).toEqual([]);
  });

  test('each of its article links puts the simulation into the state the link names', async () => {
    const links = await w.page.locator('a.sim-link').all();
    expect(links.length).toBeGreaterThanOrEqual(8);
    const figures = await w.page.locator('ops-player[data-figure]').count();
    for (const link of links.slice(0, 6)) {
      const expected = decodeState(sim, new URL((await link.getAttribute('href'))!, article).search).state;
      await link.click();
      if (figures > 0) {
        // An article with figures: the link drives its nearest figure, which then shows the run the link names.
        const hash = sim.run(expected.params, expected.seed).hash;
        await w.page.waitForFunction(
          (h) => [...document.querySelectorAll('ops-player[data-figure]')].some((p) => p.getAttribute('data-trace-hash') === h && p.getAttribute('data-busy') !== 'true'),
          hash,
        );
        continue;
      }
      await w.page.waitForFunction(() => document.querySelector('ops-player')?.getAttribute('data-busy') === 'false');
      await w.page.locator('button[data-act=play]').evaluate((b) => b.getAttribute('aria-label') === 'Pause' && (b as HTMLButtonElement).click());
      const shown = decodeState(sim, new URL(w.page.url()).search).state;
      expect({ ...shown, tSec: 0 }).toEqual({ ...expected, tSec: 0 });
      expect(await w.page.locator('ops-player').getAttribute('data-trace-hash')).toBe(sim.run(expected.params, expected.seed).hash);
    }
    expect(w.errors).toEqual([]);
  });
});
