/**
 * For the room: a projector mode remembered per browser, articles that print
 * as clean handouts, and labs' facilitator's guides that print as answer keys.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import { openPage, waitReady, useBrowser } from './chromium.ts';
import { OUT } from './global-setup.ts';

const SHOTS = 'test/output/screenshots';
const browser = useBrowser();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
});

describe('projector mode', () => {
  test('the header toggle turns it on, it survives a reload and a new page, and turns off again', async () => {
    const w = await openPage(browser(), site);
    await w.page.goto(`${site}articles/syn-queue/`);
    const toggle = w.page.locator('.projector-toggle');
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
    const before = await w.page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    await toggle.click();
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    await w.page.reload();
    await waitReady(w.page);
    expect(await w.page.evaluate(() => document.documentElement.dataset.theme)).toBe('projector');
    const after = await w.page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    expect(after).toBeGreaterThan(before * 1.2);
    await w.page.screenshot({ path: `${SHOTS}/projector-mode-1280x720.png` });
    await w.page.goto(`${site}about/`);
    expect(await w.page.evaluate(() => document.documentElement.dataset.theme)).toBe('projector');
    await w.page.locator('.projector-toggle').click();
    await w.page.reload();
    expect(await w.page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('a stored value it does not know is ignored, not trusted', async () => {
    const w = await openPage(browser(), site);
    await w.page.goto(`${site}about/`);
    await w.page.evaluate(() => localStorage.setItem('opslab:projector', '{"corrupt":'));
    await w.page.reload();
    expect(await w.page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
    expect(w.errors).toEqual([]);
    await w.context.close();
  });
});

describe('print', () => {
  test.each([['articles/syn-queue'], ['articles/cache-stampede'], ['labs/syn-queue'], ['labs/cache-stampede']])('%s prints its figures (an article) or its exercises (a lab) without the controls, on A4 and Letter', async (path) => {
    const id = path.replace('/', '-');
    const w = await openPage(browser(), site, { width: 900, height: 1200 });
    await w.page.goto(`${site}${path}/`);
    await waitReady(w.page);
    await w.page.emulateMedia({ media: 'print' });
    const shown = (selector: string) => w.page.locator(selector).first().evaluate((el) => getComputedStyle(el).display !== 'none');
    // An article's figures print; its workbench and a lab's player only repeat a first scenario, and print as an address (test/browser/handouts.test.ts).
    if (path.startsWith('articles/')) {
      expect(await shown('.inline-figure svg.chart')).toBe(true);
      expect(await shown('.inline-figure .picture-box svg')).toBe(true);
    } else {
      expect(await shown('.exercise .checks-list')).toBe(true);
    }
    expect(await shown('.workbench ops-player, .player-slot')).toBe(false);
    for (const hidden of ['.transport', 'details.params', '.figure-actions', '.site-header nav', '.projector-toggle', '.log-panel']) {
      expect(await shown(hidden), hidden).toBe(false);
    }
    // Sources carry their address as text, on screen and on paper alike (nothing links outside the site).
    if (path.startsWith('articles/')) {
      expect(await shown('.sources .source-url')).toBe(true);
      await expect(w.page.locator('.sources .source-url').first().textContent()).resolves.toMatch(/^https?:\/\//);
    }
    await w.page.screenshot({ path: `${SHOTS}/print-${id}.png`, fullPage: false });
    if (path.startsWith('labs/')) expect(await shown('.lab-progress')).toBe(false);
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await w.page.pdf({ format });
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
      expect(pdf.length).toBeGreaterThan(20_000);
    }
    await w.context.close();
  });
});

describe("a lab's facilitator's guide on paper", () => {
  test.each([['syn-queue'], ['ssh-forwarding']])('%s: the notes and every answer print, the page chrome and the answer links do not, and each answer is marked to stay on one page', async (lab) => {
    const w = await openPage(browser(), site, { width: 900, height: 1200 });
    await w.page.goto(`${site}labs/${lab}/guide/`);
    await w.page.emulateMedia({ media: 'print' });
    const shown = (selector: string) => w.page.locator(selector).first().evaluate((el) => getComputedStyle(el).display !== 'none');
    for (const printed of ['.facilitator-notes', '.worked-answer', '.answer-settings', '.checks-list']) expect(await shown(printed), printed).toBe(true);
    for (const hidden of ['.site-header nav', '.projector-toggle', '.site-footer', '.guide-intro', '.answer-open']) expect(await shown(hidden), hidden).toBe(false);
    const answers = w.page.locator('.worked-answer');
    const breaks = await answers.evaluateAll((els) => els.map((el) => getComputedStyle(el).breakInside));
    expect(breaks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(breaks)).toEqual(new Set(['avoid']));
    await w.page.screenshot({ path: `${SHOTS}/print-lab-guide-${lab}.png`, fullPage: true });
    const pdf = await w.page.pdf({ format: 'A4' });
    writeFileSync(`${SHOTS}/lab-guide-${lab}.pdf`, pdf);
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    // Notes and answers take several pages of text; a page that printed only its header would be one.
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });
});

describe('search', () => {
  test("indexes each lab's page and none of the facilitator's guides", () => {
    const dir = join(OUT, 'pagefind', 'fragment');
    const urls = readdirSync(dir).map((f) => {
      const text = gunzipSync(readFileSync(join(dir, f))).toString('utf8');
      return (JSON.parse(text.slice(text.indexOf('{'))) as { url: string }).url;
    });
    for (const lab of ['syn-queue', 'cache-stampede']) expect(urls).toContain(`/labs/${lab}/`);
    expect(urls.filter((u) => u.includes('/guide/'))).toEqual([]);
  });

  test('finds lessons and labs by a word in their text, with links that open them', async () => {
    const w = await openPage(browser(), site);
    const failed: string[] = [];
    const fetched: string[] = [];
    w.page.on('response', (r) => (r.ok() ? fetched : failed).push(r.url()));
    await w.page.goto(`${site}search/`);
    await w.page.waitForFunction(() => !(document.querySelector('#search-input') as HTMLInputElement).disabled);
    await w.page.locator('#search-input').fill('jitter');
    await w.page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0);
    const titles = await w.page.locator('#search-results li a').allTextContents();
    expect(titles.some((t) => t.includes('Cache stampedes'))).toBe(true);
    // Search runs on the page, from the files the build keeps: no worker script, no fallback language.
    expect(failed).toEqual([]);
    expect(fetched.filter((u) => /pagefind-worker|wasm\.unknown/.test(u))).toEqual([]);
    expect(fetched.some((u) => u.includes('wasm.en.pagefind'))).toBe(true);
    await w.page.locator('#search-input').fill('syncookies');
    await w.page.waitForFunction(() => [...document.querySelectorAll('#search-results li a')].some((a) => a.textContent?.includes('SYN queue')));
    await w.page.locator('#search-results li a', { hasText: 'SYN queue' }).first().click();
    await waitReady(w.page);
    expect(new URL(w.page.url()).pathname).toContain('/articles/syn-queue/');
    expect(w.errors).toEqual([]);
    expect(w.outside).toEqual([]);
    await w.context.close();
  });
});
