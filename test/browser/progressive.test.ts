/**
 * A long run arrives in two parts: after a change the workbench draws the run's first part (up to
 * the reader's cursor), its charts shaded past it, then the whole run; a second change made while
 * the first is on its way cancels it, and the first run's whole is never drawn. Only the order of
 * what is drawn is checked (data-computed-to and data-trace-hash on the player), never a time, so
 * a slow machine cannot change a result. A slider being dragged asks for its runs as moving, and
 * says when it is let go (what the worker then does is test/player/progressive.test.ts's).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import type { Page } from 'playwright-core';
import { runUpTo, scenarioState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { openPage, waitReady, type Watched, useBrowser } from './chromium.ts';

const sim = simulations['syn-queue']!;
const fix = scenarioState(sim, 'fastmail-fix');
const CURSOR_SEC = 20;
const browser = useBrowser();
let w: Watched;

/** The hashes Node computes for a change of the broken clients' rate: the first part up to the cursor, and the whole run. */
function hashesFor(brokenPerSec: number): { first: string; whole: string } {
  const params = { ...fix.params, brokenPerSec };
  return { first: runUpTo(CURSOR_SEC, () => sim.run(params, fix.seed)).hash, whole: sim.run(params, fix.seed).hash };
}

interface Drawn { computedTo: string; hash: string; shaded: number }

/** Starts recording every trace the workbench draws: how far it was computed, its hash, and how many chart areas are shaded as not computed. */
async function record(page: Page): Promise<void> {
  await page.evaluate(() => {
    const player = document.querySelector<HTMLElement>('ops-player#sim')!;
    const drawn: Drawn[] = ((window as unknown as { drawn: Drawn[] }).drawn = []);
    new MutationObserver(() => {
      const last = drawn.at(-1);
      const now = { computedTo: player.dataset.computedTo!, hash: player.dataset.traceHash!, shaded: player.querySelectorAll('svg.chart .not-computed').length };
      if (!last || last.hash !== now.hash) drawn.push(now);
    }).observe(player, { attributes: true, attributeFilter: ['data-computed-to', 'data-trace-hash'] });
  });
}

const drawn = (page: Page) => page.evaluate(() => (window as unknown as { drawn: Drawn[] }).drawn);
const showsHash = (page: Page, hash: string) =>
  page.waitForFunction((h) => document.querySelector('ops-player#sim')?.getAttribute('data-trace-hash') === h, hash, { timeout: 60_000 });

interface Sent { kind: string; requestId?: number; moving?: boolean; brokenPerSec?: number }

beforeAll(async () => {
  w = await openPage(browser(), site);
  // What the page tells its worker, kept in the page (only the fields these tests read).
  await w.page.addInitScript(() => {
    const sent: Sent[] = ((window as unknown as { sentToWorker: Sent[] }).sentToWorker = []);
    const post = Worker.prototype.postMessage as (this: Worker, message: unknown, transfer?: Transferable[]) => void;
    Worker.prototype.postMessage = function (this: Worker, message: { kind: string; requestId?: number; moving?: boolean; params?: { brokenPerSec?: number } }, transfer?: Transferable[]) {
      sent.push({ kind: message.kind, requestId: message.requestId, moving: message.moving, brokenPerSec: message.params?.brokenPerSec });
      post.call(this, message, transfer);
    } as typeof Worker.prototype.postMessage;
  });
  await w.page.goto(`${site}articles/syn-queue/?scenario=fastmail-fix`);
  await waitReady(w.page);
  // A reader reaching for a control starts the worker; runs go there once it is ready.
  await w.page.locator('#sim [data-role=seed]').focus();
  await w.page.waitForFunction(() => document.querySelector('ops-player#sim')?.getAttribute('data-worker') === 'ready', undefined, { timeout: 30_000 });
  await w.page.evaluate((t) => (document.querySelector('ops-player#sim') as unknown as { seekTo(t: number): void }).seekTo(t), CURSOR_SEC);
});

describe('the syn-queue workbench, its cursor at 20 s of a 300 s run', () => {
  test('a change draws the run computed up to the cursor, its charts shaded past it, then the whole run', async () => {
    const expected = hashesFor(8.5);
    await record(w.page);
    const input = w.page.locator('#sim [data-param-input="brokenPerSec"]');
    await input.fill('8.5');
    await input.dispatchEvent('change');
    await showsHash(w.page, expected.whole);
    const seen = await drawn(w.page);
    expect(seen[0]).toEqual({ computedTo: String(CURSOR_SEC), hash: expected.first, shaded: sim.view.charts.length });
    expect(seen.at(-1)).toEqual({ computedTo: '300', hash: expected.whole, shaded: 0 });
    expect(seen).toHaveLength(2);
    expect(await w.page.locator('#sim').getAttribute('data-ran-in')).toBe('worker');
  });

  test('a second change made as the first change\'s first part is drawn cancels the first: its whole run is never drawn', async () => {
    const a = hashesFor(9);
    const b = hashesFor(9.5);
    await record(w.page);
    await w.page.evaluate((firstOfA) => {
      const player = document.querySelector('ops-player#sim') as HTMLElement & { setParams(p: Record<string, number>): Promise<string[]> };
      // The second change, the moment the first change's first part is on screen (its whole run still on its way).
      const observer = new MutationObserver(() => {
        if (player.dataset.traceHash !== firstOfA) return;
        observer.disconnect();
        void player.setParams({ brokenPerSec: 9.5 });
      });
      observer.observe(player, { attributes: true, attributeFilter: ['data-trace-hash'] });
      void player.setParams({ brokenPerSec: 9 });
    }, a.first);
    await showsHash(w.page, b.whole);
    // Nothing of the first run can come later: the worker answers in order, so anything it posted
    // for the first run arrived before the second run's whole.
    const hashes = (await drawn(w.page)).map((d) => d.hash);
    expect(hashes).toEqual([a.first, b.first, b.whole]);
    expect(hashes).not.toContain(a.whole);
    expect(w.errors).toEqual([]);
  });

  test('a slider dragged asks for runs as moving, a number typed does not; let go, the slider says so and the whole run is drawn', async () => {
    const sent = () => w.page.evaluate(() => (window as unknown as { sentToWorker: Sent[] }).sentToWorker.splice(0));
    await sent();
    await record(w.page);
    // Dragged through positions 121 and 131 of 1000 (a linear 0-100 scale in steps of 0.5: 12 and 13
    // a second, runs no other test asked for), then let go, all at once: what the page sends does
    // not depend on how fast the worker answers.
    await w.page.locator('#sim [data-param-slider="brokenPerSec"]').evaluate((slider: HTMLInputElement) => {
      for (const position of ['121', '131']) {
        slider.value = position;
        slider.dispatchEvent(new Event('input', { bubbles: true }));
      }
      slider.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const expected = hashesFor(13);
    await showsHash(w.page, expected.whole);
    const messages = await sent();
    const runs = messages.filter((m) => m.kind === 'run');
    expect(runs.map((m) => [m.brokenPerSec, m.moving])).toEqual([[12, true], [13, true]]);
    expect(messages.filter((m) => m.kind === 'settled')).toEqual([{ kind: 'settled', requestId: runs[1]!.requestId }]);
    expect((await drawn(w.page)).at(-1)).toEqual({ computedTo: '300', hash: expected.whole, shaded: 0 });

    const input = w.page.locator('#sim [data-param-input="brokenPerSec"]');
    await input.fill('14');
    await input.dispatchEvent('change');
    await showsHash(w.page, hashesFor(14).whole);
    expect((await sent()).map((m) => [m.kind, m.brokenPerSec, m.moving])).toEqual([['run', 14, false]]);
    expect(w.errors).toEqual([]);
  });
});
