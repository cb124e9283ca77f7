/**
 * Embeds that fit a slide, in real Chromium: every lesson at 16:9 and 4:3 frame sizes from 640x360
 * to 1920x1080, in the light and projector themes, with full and minimal controls. Nothing scrolls,
 * no text is cut off by the frame or by its panel, and text grows with the frame (a floor that
 * scales with it); `panels=` shows what it names and says which tokens are valid when it names a
 * wrong one; "Copy embed code" carries the embed's theme, controls and panels; the demo deck fits.
 */
import { describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import type { Frame, Page } from 'playwright-core';
import { simulations } from '../../sim/index.ts';
import { frameScale, TESTED_FRAMES } from '../../site/embed/frame-scale.ts';
import { openPage, useBrowser } from './chromium.ts';
import { checkFit, type FitReport } from './fit-check.ts';

const browser = useBrowser();

/**
 * The smallest text allowed at 960x540, in screen pixels; at other sizes it is multiplied by the
 * frame's scale, so a 1920x1080 projector must show every word twice as large. A lesson's picture
 * draws its compact layout in an embed (400-600 units, fewer and larger words) and is shown at the
 * size its cell leaves it, so its floor is lower: measured (divided by the frame's scale) at 11.0
 * or more in every lesson, theme and frame but one, the cache-stampede picture at 640x360 with full
 * controls (10.6). In a 4:3 frame that picture sits above its chart in a wide, short cell and
 * draws its cache beside the servers (PictureOptions.wide): 13.0 to 17.5, where its compact
 * layout, scaled to the cell's height, came to 9.4 to 11.1.
 */
const FLOOR_PX = { light: 11, projector: 14 } as const;
const PICTURE_FLOOR_PX = { light: 10.5, projector: 10 } as const;

/** Waits for the redraw a resize sets off (a frame for the zoom, one for the charts), then checks; a layout still settling gets two more tries. */
async function settledFit(target: Page | Frame): Promise<FitReport> {
  let report: FitReport | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    await target.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 120)))));
    report = await target.evaluate(checkFit);
    if (report.scrolls.length === 0 && report.clipped.length === 0) return report;
  }
  return report!;
}

describe('every embed fits its frame', () => {
  test.each(Object.keys(simulations))(
    '%s fits at every size, theme and controls, with nothing cut off and text that grows with the frame',
    async (id) => {
      const w = await openPage(browser(), site, { width: 960, height: 540 });
      const problems: string[] = [];
      for (const theme of ['light', 'projector'] as const) {
        for (const controls of ['full', 'minimal'] as const) {
          await w.page.setViewportSize({ width: 960, height: 540 });
          await w.page.goto(`${site}embed/${id}/?theme=${theme}&controls=${controls}`);
          await w.page.waitForSelector('ops-player[data-ready=true]');
          // Every size for the default embed (light, full controls) and a deck's (projector, minimal);
          // the two other pairs at the smallest frame of each shape, where room is tightest.
          const everySize = (theme === 'light') === (controls === 'full');
          for (const [width, height] of TESTED_FRAMES.filter(([w]) => everySize || w === 640)) {
            await w.page.setViewportSize({ width, height });
            const report = await settledFit(w.page);
            const where = `${theme}, controls=${controls}, ${width}x${height}`;
            const floor = FLOOR_PX[theme] * frameScale(width, height);
            if (report.texts < 5) problems.push(`${where}: only ${report.texts} pieces of text on screen`);
            for (const s of report.scrolls) problems.push(`${where}: scrolls: ${s}`);
            for (const c of report.clipped) problems.push(`${where}: ${c}`);
            if (report.smallest.px < floor - 0.05) problems.push(`${where}: ${JSON.stringify(report.smallest.text)} is ${report.smallest.px} px, under ${floor.toFixed(1)} px`);
            const pictureFloor = PICTURE_FLOOR_PX[theme] * frameScale(width, height);
            if (report.smallestInPicture.px < pictureFloor - 0.05) problems.push(`${where}: ${JSON.stringify(report.smallestInPicture.text)} in the picture is ${report.smallestInPicture.px} px, under ${pictureFloor.toFixed(1)} px`);
          }
        }
      }
      expect(problems).toEqual([]);
      expect(w.errors).toEqual([]);
      await w.context.close();
    },
    240_000,
  );
});

describe('panels= and the embed code', () => {
  test('panels= shows the panels it names, in that order, and nothing else', async () => {
    const w = await openPage(browser(), site, { width: 1280, height: 720 });
    await w.page.goto(`${site}embed/token-bucket/?theme=projector&panels=chart:refused,diagram picture`);
    await w.page.waitForSelector('ops-player[data-ready=true]');
    const shown = await w.page.evaluate(() =>
      [...document.querySelectorAll('.panels > *')].map((el) => (el as HTMLElement).dataset.chartId ?? el.className.split(' ')[0]),
    );
    expect(shown).toEqual(['refused', 'diagram-figure', 'picture-figure']);
    expect((await w.page.evaluate(checkFit)).clipped).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('an unknown panel is said on the embed, naming the valid ones, and the default panels show instead', async () => {
    const w = await openPage(browser(), site, { width: 960, height: 540 });
    await w.page.goto(`${site}embed/syn-queue/?panels=picture,map`);
    await w.page.waitForSelector('ops-player[data-ready=true]');
    const notice = w.page.locator('[data-role=notice]');
    expect(await notice.isVisible()).toBe(true);
    const words = (await notice.textContent()) ?? '';
    expect(words).toContain('no panel map');
    for (const token of ['picture', 'diagram', 'log', 'outcomes', 'counters', 'inspector', 'terminal', 'charts', 'chart:<id>']) expect(words).toContain(token);
    expect(await w.page.locator('.panels > .picture-figure').count()).toBe(1);
    expect(await w.page.locator('.panels [data-chart-id]').count()).toBe(1);
    await w.context.close();
  });

  test('Copy embed code carries the theme, the controls and the panels the embed shows', async () => {
    const w = await openPage(browser(), site, { width: 1280, height: 720 });
    await w.page.goto(`${site}embed/cache-stampede/?scenario=herd&t=9&theme=projector&panels=picture+chart:database`);
    await w.page.waitForSelector('ops-player[data-ready=true]');
    await w.page.locator('details.params summary').click();
    await w.page.locator('button[data-act=copy-embed]').click();
    const code = await w.page.locator('[data-role=embed-code]').inputValue();
    const src = new URL(/<iframe src="([^"]+)"/.exec(code)![1]!.replace(/&amp;/g, '&'));
    expect(Object.fromEntries(['scenario', 't', 'theme', 'panels'].map((k) => [k, src.searchParams.get(k)]))).toEqual({ scenario: 'herd', t: '9', theme: 'projector', panels: 'picture chart:database' });
    await w.page.goto(src.href);
    await w.page.waitForSelector('ops-player[data-ready=true]');
    expect(await w.page.locator('.panels [data-chart-id]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.chartId))).toEqual(['database']);
    expect(await w.page.evaluate(() => document.documentElement.dataset.theme)).toBe('projector');
    await w.context.close();
  });
});

describe('the demo deck', () => {
  test.each([[960, 540], [1280, 720], [1920, 1080]] as const)('at %ix%i every slide and its embed fit, with no text cut off', async (width, height) => {
    // With reduced motion, as many a trainer's laptop is set: the deck then moves without its 0.8 s
    // slide and background transitions, and the layout checked is the one they end on.
    const w = await openPage(browser(), site, { width, height, reducedMotion: 'reduce' });
    await w.page.goto(`${site}slides/demo/`);
    const frames = () => w.page.frames().filter((f) => f.url().includes('/embed/'));
    await w.page.waitForFunction(() => document.querySelectorAll('iframe[data-sim-frame]').length === 2);
    const problems: string[] = [];
    // Every step of the deck, a slide or a fragment, as a trainer's arrow key gives it.
    const steps = (await w.page.locator('.reveal .slides > section').count()) + (await w.page.locator('.reveal .fragment').count());
    for (let slide = 0; slide < steps; slide++) {
      if (slide > 0) await w.page.keyboard.press('ArrowRight');
      // The deck loads a frame as it comes near its slide: every frame loaded so far is measured once ready.
      const loading = await w.page.evaluate(() => document.querySelectorAll('iframe[data-sim-frame][src]').length);
      await expect.poll(() => frames().length).toBe(loading);
      for (const frame of frames()) await frame.waitForSelector('ops-player[data-ready=true]');
      // Checked once reveal.js's slide and fragment transitions have ended, however long a slow machine
      // takes: a slide still sliding in is cut by the viewport.
      await w.page.waitForFunction(() => document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running'), undefined, { timeout: 20_000 });
      const deck = await settledFit(w.page);
      for (const p of [...deck.scrolls, ...deck.clipped]) problems.push(`step ${slide}: ${p}`);
      for (const frame of frames()) {
        const inFrame = await settledFit(frame);
        for (const p of [...inFrame.scrolls, ...inFrame.clipped]) problems.push(`step ${slide}, ${frame.url()}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });
});
