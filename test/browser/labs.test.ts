/** Workshop labs in Chromium: checks say pass or fail and why, progress survives reloads and corruption. */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage, seriousAxeViolations, waitReady } from './chromium.ts';

const site = inject('siteUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const labReady = (page: Page) => page.waitForSelector('ops-lab[data-ready=true]');
const settled = (page: Page) => page.waitForFunction(() => document.querySelector('ops-player')?.getAttribute('data-busy') === 'false');

describe.each([['syn-queue', 'fix-fastmail', 'the median time to accept() (ms)'], ['cache-stampede', 'one-query-per-expiry', 'the most database queries in one expiry']])(
  'the %s lab',
  (lab, exercise, missedLabel) => {
    test('loads clean and passes axe', async () => {
      const w = await openPage(browser, site);
      await w.page.goto(`${site}labs/${lab}/`);
      await waitReady(w.page);
      await labReady(w.page);
      await w.page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      // The page is built without the panels under the charts; the player fills them as it starts.
      for (const role of ['chart-table', 'outcomes', 'counters', 'log', 'diagram-text']) {
        expect(await w.page.locator(`ops-player [data-role=${role}]`).first().innerHTML(), role).not.toBe('');
      }
      expect(await seriousAxeViolations(w.page)).toEqual([]);
      expect(w.errors).toEqual([]);
      expect(w.outside).toEqual([]);
      await w.page.screenshot({ path: `test/output/screenshots/lab-${lab}-1280x720.png` });
      await w.context.close();
    });

    test('an exercise fails with the reason from its start, passes with its worked answer, and the pass survives a reload', async () => {
      const w = await openPage(browser, site);
      await w.page.goto(`${site}labs/${lab}/`);
      await waitReady(w.page);
      await labReady(w.page);
      const card = w.page.locator(`[data-exercise="${exercise}"]`);
      await card.locator('a.sim-link', { hasText: 'Start here' }).click();
      await settled(w.page);
      await card.locator('button[data-check]').click();
      const result = card.locator('[data-result]');
      await expect(result.getAttribute('data-pass')).resolves.toBe('false');
      expect(await result.textContent()).toContain(missedLabel);

      await card.locator('details.worked summary').click();
      await card.locator('details.worked a.sim-link').click();
      await settled(w.page);
      await card.locator('button[data-check]').click();
      await expect(result.getAttribute('data-pass')).resolves.toBe('true');
      await expect(card.locator('[data-status]').textContent()).resolves.toBe('passed');

      await w.page.reload();
      await waitReady(w.page);
      await labReady(w.page);
      await expect(w.page.locator(`[data-exercise="${exercise}"] [data-status]`).textContent()).resolves.toBe('passed');
      expect(await w.page.locator('[data-role=progress-list] li').count()).toBe(1);
      await w.page.locator('[data-role=reset-progress]').click();
      await expect(w.page.locator(`[data-exercise="${exercise}"] [data-status]`).textContent()).resolves.toBe('not passed yet');
      expect(w.errors).toEqual([]);
      await w.context.close();
    });
  },
);

test('corrupt saved progress is discarded with a notice, never a broken page', async () => {
  const w = await openPage(browser, site);
  await w.page.goto(`${site}labs/syn-queue/`);
  await w.page.evaluate(() => localStorage.setItem('opslab:labs', '{"version":1,"passed":'));
  await w.page.reload();
  await waitReady(w.page);
  await labReady(w.page);
  expect(await w.page.locator('[data-role=lab-notice]').textContent()).toContain('could not be read');
  expect(await w.page.locator('[data-role=progress-summary]').textContent()).toContain('0 of');
  expect(await w.page.evaluate(() => localStorage.getItem('opslab:labs'))).toBeNull();
  expect(w.errors).toEqual([]);
  await w.context.close();
});
