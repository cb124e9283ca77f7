/**
 * Inline figures in real Chromium, on the SYN-queue article: each starts from the state its
 * article names and fits one screen on a laptop; a link in the text drives the nearest figure
 * without moving the reader, and Back undoes it; a figure's own controls re-run it and say what
 * differs from its start; "Open in the workbench" carries the figure's state; keys work wherever
 * focus is in a figure; on a phone the text comes first and nothing scrolls sideways.
 */
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import type { Page } from 'playwright-core';
import { decodeState } from '../../sim/core/index.ts';
import { synQueue } from '../../sim/syn-queue/index.ts';
import { openPage, type Watched, useBrowser } from './chromium.ts';

const article = `${site}articles/syn-queue/`;
const SHOTS = 'test/output/screenshots';
const browser = useBrowser();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
});

async function open(options?: Parameters<typeof openPage>[2]): Promise<Watched> {
  const w = await openPage(browser(), site, options);
  await w.page.goto(article);
  await w.page.waitForSelector('ops-player#sim[data-ready=true]', { timeout: 15_000 });
  return w;
}

/** Brings a figure on screen and waits until it has started (figures start when they come near the screen). */
async function figure(page: Page, id: string) {
  const el = page.locator(`#fig-${id}`);
  await el.scrollIntoViewIfNeeded();
  await page.waitForSelector(`#fig-${id}[data-ready=true]`, { timeout: 15_000 });
  return el;
}

const hashIn = (page: Page, id: string) => page.locator(`#fig-${id}`).getAttribute('data-trace-hash');
const clockIn = (page: Page, id: string) => page.locator(`#fig-${id} [data-role=clock]`).textContent();
const stateOf = (page: Page, id: string) => page.locator(`#fig-${id}`).getAttribute('data-state');

describe('inline figures', () => {
  test('a figure far down the page has not run yet when the page opens', async () => {
    const w = await open();
    expect(await w.page.locator('#fig-fix').getAttribute('data-ready')).toBeNull();
    await figure(w.page, 'fix');
    await w.context.close();
  });

  test('a link in the text drives the nearest figure without moving the reader, and Back puts the figure back', async () => {
    const w = await open();
    await figure(w.page, 'outage');
    const start = await hashIn(w.page, 'outage');
    const link = w.page.locator('a[data-sim-link]', { hasText: 'Turn them on in the original outage' });
    await link.scrollIntoViewIfNeeded();
    // Not moving the reader: the link stays where it is on screen (the browser may scroll to keep it there as the figure above grows).
    const y0 = (await link.boundingBox())!.y;
    const entries0 = await w.page.evaluate(() => history.length);
    // The nearest figure before this link is the fix's; the link names the outage scenario with cookies on.
    await link.click();
    await w.page.waitForFunction(() => document.querySelector('#fig-fix [data-role=changed]')?.textContent?.includes('tcp_syncookies'));
    expect(Math.abs((await link.boundingBox())!.y - y0)).toBeLessThanOrEqual(2);
    expect(await w.page.evaluate(() => history.length)).toBe(entries0 + 1);
    expect(await w.page.locator('#fig-fix [data-role=scenario-title]').textContent()).toBe(synQueue.scenarios.find((s) => s.id === 'fastmail-2002')!.title);
    const linked = decodeState(synQueue, new URL((await link.getAttribute("href"))!, article).search).state;
    expect(await hashIn(w.page, 'fix')).toBe(synQueue.run(linked.params, linked.seed).hash);
    expect(await hashIn(w.page, 'outage')).toBe(start);
    await w.page.goBack();
    await w.page.waitForFunction(() => document.querySelector('#fig-fix [data-role=changed]')?.hasAttribute('hidden'));
    const { state } = decodeState(synQueue, (await stateOf(w.page, 'fix'))!);
    expect(await hashIn(w.page, 'fix')).toBe(synQueue.run(state.params, state.seed).hash);
    expect(new URL(w.page.url()).pathname).toBe(new URL(article).pathname);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('a figure’s own control re-runs it, says what differs from its start, and its reset goes back', async () => {
    const w = await open();
    const el = await figure(w.page, 'outage');
    const input = el.locator('[data-param-input=brokenPerSec]');
    await input.fill('40');
    await input.dispatchEvent('change');
    await w.page.waitForFunction(() => /Broken clients 40 \/s \(was 20 \/s\)/.test(document.querySelector('#fig-outage [data-role=changed]')?.textContent ?? ''));
    const { state } = decodeState(synQueue, (await stateOf(w.page, 'outage'))!);
    await w.page.waitForFunction((h) => document.querySelector('#fig-outage')?.getAttribute('data-trace-hash') === h, synQueue.run({ ...state.params, brokenPerSec: 40 }, state.seed).hash);
    // A figure never writes the address bar: that is the workbench's.
    expect(new URL(w.page.url()).searchParams.get('brokenPerSec')).toBeNull();
    await el.locator('button[data-act=reset-params]').click();
    await w.page.waitForFunction(() => document.querySelector('#fig-outage [data-role=changed]')?.hasAttribute('hidden'));
    expect(await hashIn(w.page, 'outage')).toBe(synQueue.run(state.params, state.seed).hash);
    await w.context.close();
  });

  test('"Open in the workbench" brings the figure’s state, as it is now, into the workbench', async () => {
    const w = await open();
    const el = await figure(w.page, 'fix');
    const input = el.locator('[data-param-input=tcp_synack_retries]');
    await input.fill('5');
    await input.dispatchEvent('change');
    await w.page.waitForFunction(() => document.querySelector('#fig-fix [data-role=changed]')?.textContent?.includes('(was 2)'));
    // The run the change asked for, computed here: the figure shows it once it arrives, and the workbench must show the same.
    const asked = decodeState(synQueue, '?scenario=fastmail-fix&tcp_synack_retries=5').state;
    const figureHash = synQueue.run(asked.params, asked.seed).hash;
    await w.page.waitForFunction((h) => document.querySelector('#fig-fix')?.getAttribute('data-trace-hash') === h, figureHash);
    await el.locator('a[data-act-link=open-workbench]').click();
    await w.page.waitForFunction((h) => document.querySelector('#sim')?.getAttribute('data-trace-hash') === h, figureHash);
    const url = new URL(w.page.url());
    expect(url.searchParams.get('scenario')).toBe('fastmail-fix');
    expect(url.searchParams.get('tcp_synack_retries')).toBe('5');
    await w.page.waitForFunction(() => {
      const r = document.querySelector('#sim')!.getBoundingClientRect();
      return r.top < window.innerHeight && r.bottom > 0;
    });
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('keys work wherever focus is in a figure: on the play button and on the timeline', async () => {
    const w = await open();
    await figure(w.page, 'outage');
    await w.page.locator('#fig-outage button[data-act=play]').focus();
    await w.page.keyboard.press('ArrowRight');
    await w.page.waitForFunction(() => /^1 s \//.test(document.querySelector('#fig-outage [data-role=clock]')?.textContent ?? ''));
    await w.page.keyboard.press('End');
    await w.page.waitForFunction(() => /^300 s \//.test(document.querySelector('#fig-outage [data-role=clock]')?.textContent ?? ''));
    await w.page.locator('#fig-outage [data-role=timeline]').focus();
    await w.page.keyboard.press('Home');
    await w.page.waitForFunction(() => /^0 s \//.test(document.querySelector('#fig-outage [data-role=clock]')?.textContent ?? ''));
    await w.page.keyboard.press('Shift+ArrowRight');
    await w.page.waitForFunction(() => /^10 s \//.test(document.querySelector('#fig-outage [data-role=clock]')?.textContent ?? ''));
    await w.page.keyboard.press('ArrowLeft');
    expect(await clockIn(w.page, 'outage')).toMatch(/^9 s \//);
    await w.context.close();
  });

  test('on a 360-px phone the text comes first, nothing scrolls sideways, and a figure’s transport stays at hand', async () => {
    const w = await open({ width: 360, height: 740 });
    const firstParagraph = await w.page.locator('.prose > p').first().boundingBox();
    expect(firstParagraph!.y).toBeLessThan(740);
    const el = await figure(w.page, 'outage');
    expect(await w.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // Scrolled to the figure's last control, its transport is still on screen.
    await el.locator('[data-param-input=brokenPerSec]').scrollIntoViewIfNeeded();
    await w.page.evaluate(() => window.scrollBy(0, 120));
    const bar = (await el.locator('.transport').boundingBox())!;
    expect(bar.y).toBeGreaterThanOrEqual(-1);
    expect(bar.y + bar.height).toBeLessThanOrEqual(740);
    expect(bar.height).toBeLessThan(110);
    await w.page.screenshot({ path: `${SHOTS}/figure-outage-360.png` });
    await w.context.close();
  });
});
