/**
 * What a reader saw go wrong, checked where only a page shows it: a phone's page scrolling
 * sideways, notes with a stray full stop, disabled controls that looked live, a command's error
 * far from its line, search answering nonsense, and labels running out of their boxes on a
 * projector. Screenshots of each go to test/output/screenshots/ for a person to look at.
 */
import { describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import type { Page } from 'playwright-core';
import { openPage, waitReady, useBrowser } from './chromium.ts';

const SHOTS = 'test/output/screenshots';
const browser = useBrowser();

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('on a phone (360 px)', () => {
  test('opening a chart’s data table scrolls the table in its own box, never the page', async () => {
    // Reduced motion: the page scrolls to the workbench at once, not smoothly while the test measures.
    const w = await openPage(browser(), site, { width: 360, height: 740, reducedMotion: 'reduce' });
    await w.page.goto(`${site}articles/token-bucket/`);
    await waitReady(w.page);
    // The first chart's table (the picture's own disclosure holds words, not a table).
    const details = w.page.locator('#sim details.chart-data:has(.table-scroll)').first();
    await details.locator('summary').click();
    const box = details.locator('.table-scroll');
    await box.locator('table.data').waitFor();
    await expect(box.locator('table.data').count()).resolves.toBe(1);
    expect(await pageWidth(w.page)).toBeLessThanOrEqual(360);
    // The table is wider than the phone, so its box scrolls (and can be reached with the keyboard to do so).
    expect(await box.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await expect(box.getAttribute('tabindex')).resolves.toBe('0');
    await details.screenshot({ path: `${SHOTS}/reader-defects-table-360.png` });
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('inline notes leave the sentence’s punctuation alone: no full stop doubled after a note', async () => {
    const w = await openPage(browser(), site, { width: 360, height: 740, javaScriptEnabled: false });
    await w.page.goto(`${site}articles/syn-queue/`);
    const text = await w.page.locator('.prose').innerText();
    expect(text.match(/\S{0,20}[.!?]\s*\.(?!\.)\S{0,10}/g) ?? []).toEqual([]);
    const note = w.page.locator('.note').first();
    await expect(note.evaluate((el) => getComputedStyle(el).display)).resolves.toBe('inline');
    await w.page.locator('.prose p:has(.note)').first().screenshot({ path: `${SHOTS}/reader-defects-note-360.png` });
    await w.context.close();
  });
});

test('without JavaScript, disabled controls look disabled (faded, not-allowed cursor) in every theme', async () => {
  const w = await openPage(browser(), site, { javaScriptEnabled: false });
  await w.page.goto(`${site}articles/token-bucket/`);
  for (const theme of ['light', 'dark', 'projector'] as const) {
    await w.page.emulateMedia({ colorScheme: theme === 'dark' ? 'dark' : 'light' });
    if (theme === 'projector') await w.page.locator('html').evaluate((el) => (el.dataset.theme = 'projector'));
    for (const selector of ['button[data-act=play]', 'select[data-role=scenario]', 'input[data-role=timeline]']) {
      const control = w.page.locator(selector).first();
      await expect(control.isDisabled()).resolves.toBe(true);
      const look = await control.evaluate((el) => ({ opacity: Number(getComputedStyle(el).opacity), cursor: getComputedStyle(el).cursor }));
      expect(look.opacity, `${theme} ${selector}`).toBeLessThanOrEqual(0.6);
      expect(look.cursor, `${theme} ${selector}`).toBe('not-allowed');
    }
    await w.page.locator('#sim .transport').screenshot({ path: `${SHOTS}/reader-defects-disabled-${theme}.png` });
  }
  await w.context.close();
});

test('an ssh command’s error shows right under its command line, as that input’s description, and goes when the command is fixed', async () => {
  // Reduced motion: the page scrolls to the command line at once, not smoothly while the test measures.
  const w = await openPage(browser(), site, { width: 1280, height: 900, reducedMotion: 'reduce' });
  await w.page.goto(`${site}articles/ssh-forwarding/`);
  await waitReady(w.page);
  const input = w.page.locator('#sim input.term-input[data-param-input=command]');
  const errorId = await input.getAttribute('aria-describedby');
  const error = w.page.locator(`#${errorId}`);
  await expect(error.isHidden()).resolves.toBe(true);

  await input.fill('ssh -Z foo');
  await input.press('Enter');
  await w.page.waitForFunction((id) => document.getElementById(id!)?.textContent?.includes('unknown option -- Z'), errorId);
  await expect(input.getAttribute('aria-invalid')).resolves.toBe('true');
  const [inputBox, errorBox] = [(await input.boundingBox())!, (await error.boundingBox())!];
  expect(errorBox.y - (inputBox.y + inputBox.height)).toBeGreaterThanOrEqual(0);
  expect(errorBox.y - (inputBox.y + inputBox.height)).toBeLessThan(16);
  // The clock of a one-step walk says so in the singular.
  await expect(w.page.locator('#sim [data-role=clock]').textContent()).resolves.toBe('1 step / 1 step');
  await w.page.locator('#sim .terminal').screenshot({ path: `${SHOTS}/reader-defects-ssh-error.png` });

  await input.fill('ssh -N -L 5901:localhost:5900 me@home.example.net');
  await input.press('Enter');
  await w.page.waitForFunction((id) => document.getElementById(id!)?.hidden === true, errorId);
  await expect(input.getAttribute('aria-invalid')).resolves.toBeNull();
  expect(w.errors).toEqual([]);
  await w.context.close();
});

test('search: nonsense finds nothing and says so, ?q= runs a search, and typing keeps the query in the address', async () => {
  const w = await openPage(browser(), site);
  const status = w.page.locator('#search-status');
  const results = w.page.locator('#search-results li');

  await w.page.goto(`${site}search/?q=qwzxv`);
  await w.page.waitForFunction(() => document.querySelector('#search-status')?.textContent?.startsWith('No results'));
  await expect(status.textContent()).resolves.toBe('No results for “qwzxv”.');
  await expect(results.count()).resolves.toBe(0);

  await w.page.goto(`${site}search/?q=syn`);
  await expect(w.page.locator('#search-input').inputValue()).resolves.toBe('syn');
  await w.page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0);
  const hrefs = await results.locator('a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  expect(hrefs.some((h) => h.endsWith('/articles/syn-queue/'))).toBe(true);

  await w.page.locator('#search-input').fill('jitter');
  await w.page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'jitter');
  const historyLength = await w.page.evaluate(() => history.length);
  await w.page.locator('#search-input').fill('cookie');
  await w.page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'cookie');
  // Replaced, not pushed: Back leaves the search page instead of stepping through keystrokes.
  await expect(w.page.evaluate(() => history.length)).resolves.toBe(historyLength);
  expect(w.errors).toEqual([]);
  await w.context.close();
});

test('in a projector embed, y labels stay inside the chart, state labels inside their boxes, and the backup-MX axis reads wall time', async () => {
  const w = await openPage(browser(), site, { width: 900, height: 560 });
  for (const id of ['token-bucket', 'cache-stampede', 'backup-mx']) {
    // Every chart and the diagram, as the embed showed before its default became the article's first figure.
    await w.page.goto(`${site}embed/${id}/?theme=projector&panels=charts,diagram`);
    await waitReady(w.page);
    const clipped = await w.page.evaluate(() => {
      const out: string[] = [];
      for (const svg of document.querySelectorAll('svg.chart')) {
        const left = svg.getBoundingClientRect().left;
        for (const t of svg.querySelectorAll('.tick')) if (t.getBoundingClientRect().left < left - 0.5) out.push(`tick ${t.textContent}`);
      }
      for (const g of document.querySelectorAll('svg.diagram .state')) {
        const rect = g.querySelector('rect')!.getBoundingClientRect();
        const label = g.querySelector('.state-label')!.getBoundingClientRect();
        if (label.left < rect.left + 1 || label.right > rect.right - 1 || label.bottom > rect.bottom) out.push(`state ${g.textContent}`);
      }
      return out;
    });
    expect(clipped, id).toEqual([]);
    await w.page.screenshot({ path: `${SHOTS}/reader-defects-projector-${id}.png` });
  }
  const xTicks = await w.page.locator('svg.chart .tick[text-anchor=middle]').allTextContents();
  expect(xTicks[0]).toBe('Mon 18:00');
  // Data series are told apart by markers, not dashes: dashes are the limits' own.
  await expect(w.page.locator('svg.chart .series path[stroke-dasharray]').count()).resolves.toBe(0);
  expect(w.errors).toEqual([]);
  await w.context.close();
});
