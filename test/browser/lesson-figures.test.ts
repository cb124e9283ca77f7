/**
 * Every lesson's inline figures, on a phone and on a laptop: each starts from the state its
 * article names (the same run as Node's), keeps every part on screen, and on a laptop fits one
 * screen with its caption. Screenshots of each figure are saved to look at.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { decodeState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { LESSONS, launch, openPage, waitReady } from './chromium.ts';

const site = inject('siteUrl');
const SHOTS = 'test/output/screenshots';
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(LESSONS.map((id) => [id]))('the %s lesson’s figures', (id) => {
  const sim = simulations[id]!;
  const article = `${site}articles/${id}/`;

  test.each([
    [360, 740],
    [1280, 720],
  ])('at %ix%i every figure starts, keeps every part on screen, and on a laptop fits one screen and runs what its article names; screenshots saved', async (width, height) => {
    const w = await openPage(browser, site, { width, height, reducedMotion: 'reduce' });
    await w.page.goto(article);
    await waitReady(w.page);
    const ids = await w.page.locator('ops-player[data-figure]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.figure!));
    expect(ids.length, 'figures in the article').toBeGreaterThanOrEqual(4);
    for (const figureId of ids) {
      const player = w.page.locator(`#fig-${figureId}`);
      // A figure starts when it comes near the screen.
      await player.scrollIntoViewIfNeeded();
      await w.page.waitForSelector(`#fig-${figureId}[data-ready=true]:not([data-busy=true])`, { timeout: 15_000 });
      if (width >= 1280) {
        const { state } = decodeState(sim, (await player.getAttribute('data-state'))!);
        expect(await player.getAttribute('data-trace-hash'), figureId).toBe(sim.run(state.params, state.seed).hash);
      }
      const fits = await player.evaluate((el) => {
        const figure = el.closest('figure') ?? el;
        const box = figure.getBoundingClientRect();
        const inside = [...el.querySelectorAll('svg, .transport, table, pre')].filter((c) => !c.closest('details:not([open])'));
        // On a phone the player bleeds past the figure's margins to the screen's edges; no part of it goes further.
        const player = el.getBoundingClientRect();
        const wider = inside
          .filter((c) => {
            const r = c.getBoundingClientRect();
            // Hidden parts (a pause icon while paused, an empty error line) have no box.
            if (r.width === 0 && r.height === 0) return false;
            return r.left < Math.max(0, player.left) - 1 || r.right > Math.min(window.innerWidth, player.right) + 1;
          })
          .map((c) => `${c.tagName.toLowerCase()}.${c.getAttribute('class') ?? ''}`);
        return { heightPx: box.height, wider };
      });
      expect(fits.wider, `${figureId}: parts wider than the figure`).toEqual([]);
      // On a desktop a figure, its caption and its controls fit one screen; on a phone it may scroll under its sticky transport.
      if (width >= 1280) expect(fits.heightPx, `figure ${figureId} is ${fits.heightPx} px tall`).toBeLessThanOrEqual(height);
      await player.locator('xpath=..').screenshot({ path: `${SHOTS}/figure-${id}-${figureId}-${width}.png` });
    }
    const overflow = await w.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await w.page.evaluate(() => window.scrollTo(0, 0));
    await w.page.screenshot({ path: `${SHOTS}/lesson-${id}-${width}x${height}.png` });
    expect(w.errors).toEqual([]);
    await w.context.close();
  });
});
