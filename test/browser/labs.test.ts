/**
 * Workshop labs in Chromium: the students' page has the exercises and no answers, the facilitator's
 * guide has every answer and the notes, the guide's answer links load a passing state on the lab
 * page, checks say pass or fail and why, progress survives reloads and corruption, and a pass handed in
 * as a results code is tallied in the guide's room results.
 */
import { describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import type { Page } from 'playwright-core';
import { encodeState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { answerSheet } from '../../site/labs/answer-sheet.ts';
import { facilitatorSentences, labs, plainText, resolveState, type State } from '../labs/lab-data.ts';
import { openPage, seriousAxeViolations, waitReady, useBrowser } from './chromium.ts';

const browser = useBrowser();

const labReady = (page: Page) => page.waitForSelector('ops-lab[data-ready=true]');
const settled = (page: Page) => page.waitForFunction(() => document.querySelector('ops-player')?.getAttribute('data-busy') === 'false');
const mainText = async (page: Page) => plainText((await page.locator('main').textContent()) ?? '');

describe.each([['syn-queue', 'fix-fastmail', 'the median time to accept()'], ['cache-stampede', 'one-query-per-expiry', 'the most database queries in one expiry']])(
  'the %s lab',
  (lab, exercise, missedLabel) => {
    const data = labs.find(([id]) => id === lab)![1];
    const sim = simulations[data.sim]!;
    /** The link a SimLink builds for a state on the lab's own page. */
    const linkTo = (state: State) => {
      const { params, seed } = resolveState(sim, state);
      return `?${encodeState(sim, { scenario: state.scenario, seed, params, tSec: null })}#sim`;
    };

    test('loads clean and passes axe', async () => {
      const w = await openPage(browser(), site);
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

    test("the students' page carries no worked answer, no answer's explanation and none of the facilitator's notes, and links to the guide", async () => {
      const w = await openPage(browser(), site);
      await w.page.goto(`${site}labs/${lab}/`);
      await waitReady(w.page);
      const text = await mainText(w.page);
      const hrefs = await w.page.locator('main a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      for (const e of data.exercises) {
        if (e.explain) expect(text, e.id).not.toContain(plainText(e.explain));
        expect(hrefs, e.id).not.toContain(linkTo(e.answer));
      }
      for (const sentence of facilitatorSentences(lab)) expect(text).not.toContain(sentence);
      expect(text).not.toMatch(/Worked answer|Load a setting that passes|For the facilitator/);
      await w.page.locator('.guide-link a').click();
      await w.page.waitForURL(`${site}labs/${lab}/guide/`);
      expect(w.errors).toEqual([]);
      await w.context.close();
    });

    test("the guide has the notes open and every exercise's answer, by the player's labels, with its explanation, and passes axe", async () => {
      const w = await openPage(browser(), site);
      await w.page.goto(`${site}labs/${lab}/guide/`);
      expect(await w.page.locator('ops-player').count()).toBe(0);
      const text = await mainText(w.page);
      for (const sentence of facilitatorSentences(lab)) expect(text).toContain(sentence);
      expect(await w.page.locator('.facilitator-notes').isVisible()).toBe(true);
      for (const e of data.exercises) {
        const answer = w.page.locator(`[data-answer="${e.id}"]`);
        expect(await answer.isVisible(), e.id).toBe(true);
        const answerText = plainText((await answer.textContent()) ?? '');
        if (e.explain) expect(answerText, e.id).toContain(plainText(e.explain));
        const sheet = answerSheet(sim, e.start, e.answer);
        expect(await answer.locator('.answer-settings li').count(), e.id).toBe(sheet.settings.length);
        for (const s of sheet.settings) expect(plainText((await answer.locator(`li[data-param="${s.key}"]`).textContent()) ?? ''), `${e.id} ${s.key}`).toContain(`${s.label} = ${s.value}`);
        const link = answer.locator('a.sim-link');
        expect(await link.getAttribute('href'), e.id).toBe(`${new URL(site).pathname}labs/${lab}/${linkTo(e.answer)}`);
      }
      expect(await seriousAxeViolations(w.page)).toEqual([]);
      expect(w.errors).toEqual([]);
      expect(w.outside).toEqual([]);
      await w.page.screenshot({ path: `test/output/screenshots/lab-guide-${lab}-1280x720.png` });
      await w.context.close();
    });

    test("an exercise fails with the reason from its start, passes with the answer the guide links to, its results code is tallied on the guide, its results print alone, and the pass survives a reload", async () => {
      const w = await openPage(browser(), site);
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

      // The guide's link opens the lab page in a window of its own (the projector's), in the answer's state.
      await w.page.goto(`${site}labs/${lab}/guide/`);
      const link = w.page.locator(`[data-answer="${exercise}"] a.sim-link`);
      expect(await link.getAttribute('target')).toBe('opslab-player');
      const [projector] = await Promise.all([w.context.waitForEvent('page'), link.click()]);
      projector.on('pageerror', (e) => w.errors.push(e.message));
      await waitReady(projector);
      await labReady(projector);
      expect(new URL(projector.url()).pathname).toBe(`${new URL(site).pathname}labs/${lab}/`);
      const passing = projector.locator(`[data-exercise="${exercise}"]`);
      await passing.locator('button[data-check]').click();
      await expect(passing.locator('[data-result]').getAttribute('data-pass')).resolves.toBe('true');
      await expect(passing.locator('[data-status]').textContent()).resolves.toBe('passed');

      // The pass handed in as a code and pasted on the guide (still open behind the projector) is tallied; a cut copy is refused, and stays in the box.
      await projector.locator('[data-role=results-code]').click();
      // The code is compressed asynchronously: wait for it rather than read the box at once.
      await projector.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('[data-role=results-code-text]')?.value.startsWith('OPSLAB1-'));
      const code = await projector.locator('[data-role=results-code-text]').inputValue();
      const cut = code.slice(0, -2);
      await w.page.locator('[data-role=room-codes]').fill(`${code}\n${cut}`);
      await w.page.locator('[data-role=room-add-codes]').click();
      await w.page.waitForSelector('[data-role=room-tally]:not([hidden])');
      await expect(w.page.locator(`[data-role=room-rows] tr[data-exercise="${exercise}"] td`).textContent()).resolves.toBe('1 of 1');
      expect(await w.page.locator('[data-role=room-rows] td').allTextContents()).toEqual(data.exercises.map((e) => (e.id === exercise ? '1 of 1' : '0 of 1')));
      expect(await w.page.locator('[data-role=room-problems] li').allTextContents()).toEqual([expect.stringContaining('code 2: not added, because the code is cut short')]);
      expect(await w.page.locator('[data-role=room-codes]').inputValue()).toBe(cut);
      const entryLink = w.page.locator('[data-role=room-entries] li a');
      expect(await entryLink.getAttribute('href')).toBe(`${site}labs/${lab}/${linkTo(data.exercises.find((e) => e.id === exercise)!.answer)}`);

      await w.page.goto(`${site}labs/${lab}/`);
      await waitReady(w.page);
      await labReady(w.page);
      await expect(w.page.locator(`[data-exercise="${exercise}"] [data-status]`).textContent()).resolves.toBe('passed');
      expect(await w.page.locator('[data-role=progress-list] li').count()).toBe(1);

      // "Print my results" prints that box alone, without its buttons; the page printed as a whole leaves the box out.
      const shown = (selector: string) => w.page.locator(selector).first().evaluate((el) => getComputedStyle(el).display !== 'none');
      await w.page.emulateMedia({ media: 'print' });
      expect(await shown('.lab-results')).toBe(false);
      await w.page.evaluate(() => (document.documentElement.dataset.print = 'lab-results'));
      for (const printed of ['.lab-results', '[data-role=progress-list] li', '[data-role=results-print-head]']) expect(await shown(printed), printed).toBe(true);
      for (const hidden of ['ops-player', '.exercise', '.site-header', '[data-role=results-code]', '[data-role=reset-progress]', '.results-name']) expect(await shown(hidden), hidden).toBe(false);
      expect(await w.page.locator('[data-role=results-print-head]').textContent()).toContain(((await w.page.locator('h1').textContent()) ?? '').trim());
      await w.page.evaluate(() => delete document.documentElement.dataset.print);
      await w.page.emulateMedia({ media: 'screen' });

      await w.page.locator('[data-role=reset-progress]').click();
      await expect(w.page.locator(`[data-exercise="${exercise}"] [data-status]`).textContent()).resolves.toBe('not passed yet');
      expect(w.errors).toEqual([]);
      await w.context.close();
    });
  },
);

test('corrupt saved progress is discarded with a notice, never a broken page', async () => {
  const w = await openPage(browser(), site);
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
