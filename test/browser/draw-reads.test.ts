/**
 * A change redraws a figure without asking the browser for a size or a computed style on the way:
 * asked after the draw has written to the page, such a question makes the browser lay the whole
 * article out there and then, once more than the frame does anyway (on the SYN-queue article this
 * cost about a third of the main thread's time per change). Reads are counted, never timed, so a
 * slow machine cannot change a result. The charts still follow the page's look: a run after
 * projector mode is switched on lays its charts out for projector-sized tick labels.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { site } from './built-site.ts';
import { LESSONS, openPage, useBrowser, waitReady, type Watched } from './chromium.ts';

const browser = useBrowser();
let w: Watched;

/**
 * Installed before the page's own scripts: every read that needs a laid-out page, counted while
 * `__countReads` is on, by the first line of the site's own code that asked.
 */
function countLayoutReads(): void {
  const reads: string[] = [];
  const state = { on: false, reads };
  (window as unknown as { __layoutReads: typeof state }).__layoutReads = state;
  const note = (name: string) => {
    if (!state.on) return;
    const caller = (new Error().stack ?? '').split('\n').slice(2).find((line) => line.includes('/_astro/'));
    if (caller) reads.push(`${name} ${caller.trim()}`);
  };
  const getters: [object, string][] = [
    [Element.prototype, 'clientWidth'],
    [Element.prototype, 'clientHeight'],
    [Element.prototype, 'scrollWidth'],
    [Element.prototype, 'scrollHeight'],
    [Element.prototype, 'scrollTop'],
    [HTMLElement.prototype, 'offsetWidth'],
    [HTMLElement.prototype, 'offsetHeight'],
    [HTMLElement.prototype, 'offsetTop'],
    [HTMLElement.prototype, 'offsetLeft'],
    [HTMLElement.prototype, 'innerText'],
  ];
  for (const [proto, name] of getters) {
    const d = Object.getOwnPropertyDescriptor(proto, name)!;
    Object.defineProperty(proto, name, {
      ...d,
      get(this: Element) {
        note(name);
        return d.get!.call(this);
      },
    });
  }
  const methods: [Record<string, unknown>, string][] = [
    [Element.prototype as unknown as Record<string, unknown>, 'getBoundingClientRect'],
    [Element.prototype as unknown as Record<string, unknown>, 'getClientRects'],
    [window as unknown as Record<string, unknown>, 'getComputedStyle'],
  ];
  for (const [owner, name] of methods) {
    const original = owner[name] as (...args: unknown[]) => unknown;
    owner[name] = function (this: unknown, ...args: unknown[]) {
      note(name);
      return original.apply(this, args);
    };
  }
}

const setCounting = (page: Page, on: boolean) =>
  page.evaluate((value) => {
    const state = (window as unknown as { __layoutReads: { on: boolean; reads: string[] } }).__layoutReads;
    state.on = value;
    return [...state.reads];
  }, on);

/** Waits until the player `selector` draws a whole run whose hash is not `before`. */
async function wholeRunDrawn(page: Page, selector: string, before: string | null = null): Promise<void> {
  await page.waitForFunction(
    ({ selector, before }) => {
      const player = document.querySelector<HTMLElement>(selector)!;
      const end = player.querySelector<HTMLInputElement>('[data-role=timeline]')!.max;
      return player.dataset.traceHash !== before && player.dataset.computedTo === end;
    },
    { selector, before },
    { timeout: 60_000 },
  );
}

/** Sets a control of the player `selector` and waits until the player draws the whole new run. */
async function change(page: Page, selector: string, key: string, value: string | number): Promise<void> {
  const before = await page.locator(selector).getAttribute('data-trace-hash');
  const input = page.locator(`${selector} [data-param-input="${key}"]`);
  if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption(String(value));
  else {
    await input.fill(String(value));
    await input.dispatchEvent('change');
  }
  await wholeRunDrawn(page, selector, before);
}

/**
 * What a reader's drag repeats: the first change draws over the page as built, uncounted; then,
 * with every player of the page mounted, the layout reads made while the others are drawn.
 */
async function readsWhileChanging(page: Page, selector: string, key: string, [first, ...rest]: readonly (string | number)[]): Promise<string[]> {
  await change(page, selector, key, first!);
  await mountAll(page);
  await page.locator(selector).scrollIntoViewIfNeeded();
  await setCounting(page, true);
  for (const value of rest) await change(page, selector, key, value);
  return setCounting(page, false);
}

/**
 * The workbench's first number control (else its first list), and four values that go back and
 * forth between its start and a neighbour, so that each change asks for a run other than the one on
 * screen (a revisited run comes from the player's memory, which must draw without a layout read too).
 */
async function control(page: Page): Promise<{ key: string; values: string[] }> {
  return page.locator('#sim').evaluate((player) => {
    const input = player.querySelector<HTMLInputElement>('input.param-number');
    if (input) {
      const step = Number(input.step) || 1;
      const start = Number(input.value);
      const next = start + step <= Number(input.max) ? start + step : start - step;
      const [a, b] = [next, start].map((v) => String(Number(v.toFixed(6))));
      return { key: input.dataset.paramInput!, values: [a!, b!, a!, b!] };
    }
    const select = player.querySelector<HTMLSelectElement>('select[data-param-input]')!;
    const other = [...select.options].find((o) => o.value !== select.value)!.value;
    return { key: select.dataset.paramInput!, values: [other, select.value, other, select.value] };
  });
}

/** Mounts every player of the page (each mounts when first near the screen, and mounting measures it once). */
async function mountAll(page: Page): Promise<void> {
  const players = await page.locator('ops-player').count();
  for (let i = 0; i < players; i++) await page.locator('ops-player').nth(i).scrollIntoViewIfNeeded();
  await page.waitForFunction((n) => document.querySelectorAll('ops-player[data-ready=true]').length === n, players);
  // Two frames: the resize observers' first reports, which measure, are delivered before counting starts.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

beforeAll(async () => {
  w = await openPage(browser(), site);
  await w.page.addInitScript(countLayoutReads);
});

afterAll(async () => {
  await w.context.close();
});

describe('redrawing after a change', () => {
  test.each(LESSONS)('%s: the workbench draws three changes without a layout read', async (lesson) => {
    const page = w.page;
    await page.goto(`${site}articles/${lesson}/`);
    await waitReady(page);
    const { key, values } = await control(page);
    await page.locator(`#sim [data-param-input="${key}"]`).focus();
    await page.waitForFunction(() => document.querySelector('ops-player#sim')?.getAttribute('data-worker') === 'ready', undefined, { timeout: 30_000 });
    expect(await readsWhileChanging(page, '#sim', key, values)).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  test('an inline figure of the SYN-queue article draws three changes without a layout read', async () => {
    await w.page.goto(`${site}articles/syn-queue/`);
    await waitReady(w.page);
    const figure = w.page.locator('ops-player[data-figure]:has([data-param-input="brokenPerSec"])').first();
    const figureSelector = `#${await figure.getAttribute('id')}`;
    await figure.scrollIntoViewIfNeeded();
    await w.page.waitForSelector(`${figureSelector}[data-ready=true]`);
    await w.page.locator(`${figureSelector} [data-param-input="brokenPerSec"]`).focus();
    expect(await readsWhileChanging(w.page, figureSelector, 'brokenPerSec', [21, 22, 23, 24])).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  test('a run after projector mode is switched on draws its charts as a page opened in projector mode does', async () => {
    const chart = (page: Page) => page.locator('#sim svg.chart').first().evaluate((svg) => svg.outerHTML);
    await w.page.goto(`${site}articles/syn-queue/`);
    await waitReady(w.page);
    await change(w.page, '#sim', 'brokenPerSec', 21);
    await w.page.locator('.projector-toggle').click();
    await expect(w.page.locator('html').getAttribute('data-theme')).resolves.toBe('projector');
    await change(w.page, '#sim', 'brokenPerSec', 25);
    const switched = await chart(w.page);
    // The same run on a page that starts in projector mode: its charts are drawn for the larger type from the first.
    const fresh = await openPage(browser(), site);
    await fresh.page.addInitScript(() => localStorage.setItem('opslab:projector', '1'));
    const query = await w.page.evaluate(() => location.search);
    await fresh.page.goto(`${site}articles/syn-queue/${query}`);
    await waitReady(fresh.page);
    await wholeRunDrawn(fresh.page, '#sim');
    expect(await fresh.page.locator('#sim').getAttribute('data-trace-hash')).toBe(await w.page.locator('#sim').getAttribute('data-trace-hash'));
    expect(switched).toBe(await chart(fresh.page));
    expect([...w.errors, ...fresh.errors]).toEqual([]);
    await fresh.context.close();
  });
});
