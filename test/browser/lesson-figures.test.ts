/**
 * Every lesson's article with all its inline figures started, as a reader who has scrolled through
 * it sees it: each figure runs what its article names (the same run as Node's), keeps every part on
 * screen on a laptop and, after the window narrows to a phone's width, on the phone too; on a laptop
 * each fits one screen with its caption; and axe finds nothing serious with every figure running and
 * every disclosure open. Screenshots of each figure at both widths are saved to look at.
 *
 * One page per lesson, in order: starting seven figures and running axe over them is most of the
 * cost, so the page is opened once and the tests read it in turn.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import type { Page } from 'playwright-core';
import { decodeState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { lowContrastSvgText } from './svg-contrast.ts';
import { LESSONS, openPage, seriousAxeViolations, waitReady, type Watched, useBrowser } from './chromium.ts';

const SHOTS = 'test/output/screenshots';
const LAPTOP = { width: 1280, height: 720 };
const PHONE = { width: 360, height: 740 };
const browser = useBrowser();

/** The figures' ids, in page order. */
const figureIds = (page: Page) => page.locator('ops-player[data-figure]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.figure!));

/** Brings each figure on screen (which starts it) and waits for its run. */
async function startEvery(page: Page, ids: string[]): Promise<void> {
  for (const figureId of ids) {
    await page.locator(`#fig-${figureId}`).scrollIntoViewIfNeeded();
    await page.waitForSelector(`#fig-${figureId}[data-ready=true]:not([data-busy=true])`, { timeout: 30_000 });
  }
}

/** Each figure's parts that leave the figure's box or the screen, and its height with its caption. */
async function layoutOf(page: Page, figureId: string) {
  return page.locator(`#fig-${figureId}`).evaluate((el) => {
    const figure = el.closest('figure') ?? el;
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
    return { heightPx: figure.getBoundingClientRect().height, wider };
  });
}

async function checkLayoutAndShoot(w: Watched, id: string, ids: string[], size: { width: number; height: number }) {
  for (const figureId of ids) {
    const player = w.page.locator(`#fig-${figureId}`);
    await player.scrollIntoViewIfNeeded();
    const fits = await layoutOf(w.page, figureId);
    expect(fits.wider, `${figureId}: parts wider than the figure`).toEqual([]);
    // On a laptop a figure, its caption and its controls fit one screen; on a phone it may scroll under its sticky transport.
    if (size.width >= LAPTOP.width) expect(fits.heightPx, `figure ${figureId} is ${fits.heightPx} px tall`).toBeLessThanOrEqual(size.height);
    // The figure's top at the screen's top, as a reader arriving at it sees it: a screenshot taken from
    // further down would show the phone's sticky transport where the screen's top then was.
    const figure = player.locator('xpath=..');
    const top = await figure.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    await w.page.evaluate((y) => window.scrollTo(0, y), top);
    if (fits.heightPx <= size.height) {
      await figure.screenshot({ path: `${SHOTS}/figure-${id}-${figureId}-${size.width}.png` });
      continue;
    }
    // Taller than the screen (a phone): one shot per screen the reader scrolls through. Capturing the
    // whole figure at once makes Chromium lay the page out at the figure's height and back, and every
    // figure on the page redraws twice for it: seven times the cost of these shots.
    for (let screen = 0; screen * size.height < fits.heightPx; screen++) {
      // The last screen ends at the figure's bottom rather than running on into the article.
      await w.page.evaluate((y) => window.scrollTo(0, y), top + Math.min(screen * size.height, fits.heightPx - size.height));
      await w.page.screenshot({ path: `${SHOTS}/figure-${id}-${figureId}-${size.width}-${screen + 1}.png` });
    }
  }
  expect(await w.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await w.page.evaluate(() => window.scrollTo(0, 0));
  await w.page.screenshot({ path: `${SHOTS}/lesson-${id}-${size.width}x${size.height}.png` });
}

describe.each(LESSONS.map((id) => [id]))('the %s article with every figure started', (id) => {
  const sim = simulations[id]!;
  let w: Watched;
  let ids: string[] = [];

  beforeAll(async () => {
    w = await openPage(browser(), site, { ...LAPTOP, reducedMotion: 'reduce' });
    await w.page.goto(`${site}articles/${id}/`);
    await waitReady(w.page);
    ids = await figureIds(w.page);
    await startEvery(w.page, ids);
  });
  afterAll(async () => {
    await w?.context.close();
  });

  test('it has figures, and each runs the state its article names, as Node does', async () => {
    expect(ids.length, 'figures in the article').toBeGreaterThanOrEqual(4);
    for (const figureId of ids) {
      const player = w.page.locator(`#fig-${figureId}`);
      const { state } = decodeState(sim, (await player.getAttribute('data-state'))!);
      expect(await player.getAttribute('data-trace-hash'), figureId).toBe(sim.run(state.params, state.seed).hash);
    }
  });

  test('at 1280x720 every part of every figure stays on screen, and each figure fits one screen; screenshots saved', async () => {
    await checkLayoutAndShoot(w, id, ids, LAPTOP);
  }, 180_000);

  test('narrowed to 360x740, every part of every figure stays on screen; screenshots saved', async () => {
    await w.page.setViewportSize(PHONE);
    await checkLayoutAndShoot(w, id, ids, PHONE);
    await w.page.setViewportSize(LAPTOP);
    // A guard against hangs only: every figure redraws for the narrow screen, which takes 3 s here
    // alone and ten times that on a two-core machine busy with other browser tests.
  }, 180_000);

  test('axe finds no serious or critical violation, with every figure running and every disclosure open', async () => {
    await w.page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    expect(await seriousAxeViolations(w.page)).toEqual([]);
    expect(w.errors).toEqual([]);
    // A guard against hangs only: axe over seven figures takes 10-30 s on a busy two-core machine.
  }, 180_000);

  test('in the dark and projector themes, no text in a figure\'s pictures and charts falls below 4.5:1 contrast; a screenshot of each theme', async () => {
    // axe judges the page's HTML text in its own (light) pass but leaves out SVG text under role="img":
    // every picture and chart label is checked here, in the two other themes a reader can choose.
    const before = await w.page.evaluate(() => document.documentElement.dataset.theme);
    for (const theme of ['dark', 'projector'] as const) {
      await w.page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      for (const figureId of ids) {
        expect(await lowContrastSvgText(w.page.locator(`#fig-${figureId}`)), `${figureId} in ${theme}`).toEqual([]);
      }
      await w.page.locator(`#fig-${ids[0]}`).locator('xpath=..').evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY));
      await w.page.screenshot({ path: `${SHOTS}/lesson-${id}-${theme}-${LAPTOP.width}.png` });
    }
    await w.page.evaluate((t) => (t === undefined ? delete document.documentElement.dataset.theme : (document.documentElement.dataset.theme = t)), before);
    expect(w.errors).toEqual([]);
  }, 180_000);
});
