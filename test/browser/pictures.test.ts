/**
 * Every lesson's picture of its mechanism in real Chromium: the workbench draws it at the cursor,
 * its described mode speaks what changed as the reader steps (through the accessibility tree, as
 * a screen reader would hear it), reduced motion leaves nothing moving, and screenshots in every
 * theme, on a phone and a laptop, are saved to look at.
 */
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import { simulations } from '../../sim/index.ts';
import { openPage, waitReady, useBrowser } from './chromium.ts';
import { lowContrastSvgText } from './svg-contrast.ts';

const SHOTS = 'test/output/screenshots/pictures';
const browser = useBrowser();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
});

const withPicture = Object.values(simulations).filter((s) => s.view.picture);

test('at least the five load lessons and the SSH walk have a picture', () => {
  expect(withPicture.length).toBeGreaterThanOrEqual(4);
});

describe.each(withPicture.map((s) => [s.id, s] as const))('the %s picture', (id, sim) => {
  test('stepping speaks one short sentence of what changed, heard in the accessibility tree; the picture in words matches the frame', async () => {
    const w = await openPage(browser(), site, { reducedMotion: 'reduce' });
    const first = sim.scenarios[0]!.id;
    await w.page.goto(`${site}articles/${id}/?scenario=${first}&t=0`);
    await waitReady(w.page);
    const figure = w.page.locator('#sim .picture-figure');
    await figure.scrollIntoViewIfNeeded();
    await expect.poll(() => figure.locator('svg[role=img]').count()).toBe(1);
    const live = figure.locator('[data-role=picture-change]');
    expect(await live.getAttribute('aria-live')).toBe('polite');
    // Step until the picture has something to say (a quiet first second says nothing, by design).
    const steps = 30;
    let said = '';
    for (let i = 0; i < steps && !said; i++) {
      await w.page.locator('#sim button[data-act=forward]').click();
      said = ((await live.textContent()) ?? '').trim();
    }
    expect(said, `${id}: nothing said in ${steps} steps`).not.toBe('');
    expect(said.split(/(?<=\.)\s+(?=[A-Z])/).length, `one sentence: ${said}`).toBeLessThanOrEqual(2);
    expect(said.length).toBeLessThan(220);
    const tree = await figure.ariaSnapshot();
    expect(tree).toContain('status');
    expect(tree).toContain(said.slice(0, 40));
    // The words under the picture and its <desc> say the same thing.
    const words = (await figure.locator('[data-role=picture-text]').textContent())!.trim();
    expect(words.length).toBeGreaterThan(20);
    expect((await figure.locator('svg[role=img] desc').first().textContent())!.trim().slice(0, 30)).toBe(words.slice(0, 30));
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('screenshots in every theme, on a laptop and a phone; nothing wider than the page, no text under 4.5:1 contrast', async () => {
    // One page, its theme and width changed in place: the picture redraws for both, as it must when a
    // reader turns on projector mode or turns a phone.
    const w = await openPage(browser(), site, { width: 1280, height: 720 });
    const scenario = sim.scenarios[Math.min(1, sim.scenarios.length - 1)]!.id;
    await w.page.goto(`${site}articles/${id}/?scenario=${scenario}`);
    await waitReady(w.page);
    const figure = w.page.locator('#sim .picture-figure');
    // Each theme once and each width in two themes: the layout follows the width, the colours the theme.
    for (const [theme, width, height] of [
      ['light', 1280, 720],
      ['projector', 1280, 720],
      ['dark', 360, 740],
    ] as const) {
      await w.page.setViewportSize({ width, height });
      await w.page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      await figure.scrollIntoViewIfNeeded();
      const box = (await figure.boundingBox())!;
      expect(box.width, `${theme} at ${width}`).toBeLessThanOrEqual(width);
      expect(await w.page.evaluate(() => document.documentElement.scrollWidth), `${theme} at ${width}`).toBeLessThanOrEqual(width);
      expect(await lowContrastSvgText(figure), `${theme} at ${width}`).toEqual([]);
      await figure.screenshot({ path: `${SHOTS}/${id}-${theme}-${width}.png` });
    }
    expect(w.errors).toEqual([]);
    await w.context.close();
    // A guard against hangs only: the workbench redraws for each of five themes and widths, which
    // takes a few seconds alone and over a minute on a two-core machine busy with other tests.
  }, 180_000);
});
