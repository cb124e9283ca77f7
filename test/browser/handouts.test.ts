/**
 * Paper and the room: an article prints as a handout (notes beside the sentence they explain,
 * figures naming their state, links as addresses), a lab prints as a worksheet (an exercise a
 * page, its start link as an address and a QR code), and /room/ gives the address a room joins
 * at. Few page loads: each test reads everything it checks from one.
 */
import { describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import type { Page } from 'playwright-core';
import { labs } from '../labs/lab-data.ts';
import { openPage, seriousAxeViolations, waitReady, useBrowser } from './chromium.ts';

const browser = useBrowser();

const shown = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).display !== 'none');
const pdfPages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0;

describe('an article on paper', () => {
  test('syn-queue: notes never split their sentence, every figure names its state and address, and links print their addresses', async () => {
    const w = await openPage(browser(), site, { width: 900, height: 1200 });
    await w.page.goto(`${site}articles/syn-queue/`);
    await waitReady(w.page);
    expect(await shown(w.page, '.figure-reference'), 'the reference line is for paper only').toBe(false);
    await w.page.emulateMedia({ media: 'print' });

    // A comma or stop right after a note's term belongs to the term's line: with the note set as a
    // block between them, that punctuation would start a line of its own (", the server answers").
    const notes = await w.page.evaluate(() =>
      [...document.querySelectorAll('.prose .note')].flatMap((note) => {
        const term = note.previousElementSibling;
        const after = note.nextSibling;
        if (!term?.classList.contains('term') || after?.nodeType !== Node.TEXT_NODE || !/^[,.;:)]/.test(after.textContent ?? '')) return [];
        const termEnd = document.createRange();
        termEnd.setStart(term.firstChild!, term.textContent!.length - 1);
        termEnd.setEnd(term.firstChild!, term.textContent!.length);
        const punctuation = document.createRange();
        punctuation.setStart(after, 0);
        punctuation.setEnd(after, 1);
        const [a, b] = [termEnd.getClientRects()[0]!, punctuation.getClientRects()[0]!];
        return [{ term: term.textContent, sameLine: Math.abs(a.bottom - b.bottom) < a.height / 2 }];
      }),
    );
    expect(notes.length).toBeGreaterThanOrEqual(3);
    expect(notes.filter((n) => !n.sameLine).map((n) => n.term)).toEqual([]);

    const figures = await w.page.locator('.inline-figure').evaluateAll((els) =>
      els.map((fig) => ({
        scenario: fig.querySelector('.figure-scenario')?.textContent?.trim() ?? '',
        scenarioShown: getComputedStyle(fig.querySelector('.figure-state')!).display !== 'none',
        reference: fig.querySelector('.figure-reference')?.textContent ?? '',
        referenceShown: getComputedStyle(fig.querySelector('.figure-reference')!).display !== 'none',
        printed: fig.querySelector('.figure-reference .print-address')?.textContent,
        opens: (fig.querySelector('a.open-workbench') as HTMLAnchorElement).href,
      })),
    );
    expect(figures.length).toBeGreaterThanOrEqual(5);
    // On screen a player out of view is not drawn (content-visibility); on paper every one is.
    const undrawn = await w.page.locator('ops-player').evaluateAll((els) => els.filter((el) => getComputedStyle(el).contentVisibility !== 'visible').map((el) => el.id));
    expect(undrawn, 'players left undrawn in print').toEqual([]);
    for (const f of figures) {
      expect(f.scenario, 'the caption names the scenario').not.toBe('');
      expect(f.scenarioShown && f.referenceShown).toBe(true);
      expect(f.reference).toMatch(/Shown at \d+(\.\d+)? of \d+ seconds/);
      expect(f.printed, 'the printed address opens the figure’s state').toBe(f.opens);
      expect(f.printed).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/opslab-test\/sub\/articles\/syn-queue\/\?scenario=/);
    }

    const links = await w.page.locator('.prose a').evaluateAll((els) =>
      els
        .filter((a) => getComputedStyle(a).display !== 'none' && getComputedStyle(a.parentElement!).display !== 'none' && !a.closest('.figure-open'))
        .map((a) => ({ href: (a as HTMLAnchorElement).href, written: a.getAttribute('href')!, after: getComputedStyle(a, '::after').content })),
    );
    const toStates = links.filter((l) => l.written.startsWith('?'));
    expect(toStates.length).toBeGreaterThanOrEqual(5);
    for (const l of toStates) expect(l.after).toBe(`" <${l.href}>"`);
    const toSources = links.filter((l) => l.written.startsWith('#source-'));
    expect(toSources.length).toBeGreaterThan(0);
    for (const l of toSources) expect(l.after).toBe('none');

    expect(await shown(w.page, '.workbench ops-player'), 'the workbench prints as one line').toBe(false);
    await expect(w.page.locator('.workbench-print .print-address').textContent()).resolves.toBe(`${site}articles/syn-queue/#sim`);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });
});

describe('a lab on paper', () => {
  test('syn-queue: the worksheet prints one exercise a page, each with a QR code and its start link, and no controls', async () => {
    const w = await openPage(browser(), site, { width: 900, height: 1200 });
    const scripts: string[] = [];
    w.page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    await w.page.goto(`${site}labs/syn-queue/`);
    await waitReady(w.page);
    expect(await shown(w.page, '.worksheet'), 'the worksheet parts are for paper only').toBe(false);
    expect(await w.page.locator('.worksheet svg').count()).toBe(0);
    const before = scripts.length;
    await w.page.evaluate(() => {
      window.print = () => document.body.setAttribute('data-printed', '');
    });
    await w.page.getByRole('button', { name: 'Print worksheet' }).click();
    await w.page.waitForSelector('body[data-printed]');
    expect(scripts.length, 'the QR encoder loads when printing, not with the page').toBeGreaterThan(before);

    await w.page.emulateMedia({ media: 'print' });
    const exercises = await w.page.locator('.exercise').evaluateAll((els) =>
      els.map((ex) => ({
        breakBefore: getComputedStyle(ex).breakBefore,
        start: (ex.querySelector('.exercise-actions a.sim-link') as HTMLAnchorElement).href,
        printed: ex.querySelector('[data-role=start-address]')?.textContent,
        qrShown: !!ex.querySelector('.worksheet-qr svg path') && getComputedStyle(ex.querySelector('.worksheet-qr')!).display !== 'none',
        qrLabel: ex.querySelector('.worksheet-qr svg')?.getAttribute('aria-label'),
        lines: [...ex.querySelectorAll('.worksheet-lines')].filter((l) => l.getBoundingClientRect().height > 100).length,
      })),
    );
    expect(exercises.length).toBe(new Map(labs).get('syn-queue')!.exercises.length);
    for (const e of exercises) {
      expect(e.breakBefore).toBe('page');
      expect(e.printed).toBe(e.start);
      expect(e.start).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/opslab-test\/sub\/labs\/syn-queue\/\?scenario=/);
      expect(e.qrShown).toBe(true);
      expect(e.qrLabel).toBe(`QR code of ${e.start}`);
      expect(e.lines, 'room to write the prediction and the result').toBe(2);
    }
    for (const hidden of ['.exercise-actions', '.player-slot', '.lab-progress', '.worksheet-action', '.site-header nav']) expect(await shown(w.page, hidden), hidden).toBe(false);

    // An exercise a page: taking the exercises out takes out exactly one page each.
    const whole = pdfPages(await w.page.pdf({ format: 'A4' }));
    await w.page.evaluate(() => document.querySelectorAll('.exercise').forEach((ex) => ex.remove()));
    const without = pdfPages(await w.page.pdf({ format: 'A4' }));
    expect(whole - without).toBe(exercises.length);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });
});

describe('the room page', () => {
  test('opened at 127.0.0.1 it says why others cannot use that address, and the QR code follows the LAN address typed', async () => {
    const w = await openPage(browser(), site, { width: 360, height: 740 });
    await w.page.goto(`${site}room/`);
    const problem = w.page.locator('[data-role=room-problem]');
    await expect(problem.isVisible()).resolves.toBe(true);
    await expect(problem.textContent()).resolves.toContain('127.0.0.1');
    await expect(w.page.locator('.room-qr svg').count()).resolves.toBe(0);
    const input = w.page.getByLabel('This machine’s address on the room’s network');
    await input.fill('localhost:8000');
    await expect(w.page.locator('#room-input-error').isVisible()).resolves.toBe(true);
    await expect(input.getAttribute('aria-invalid')).resolves.toBe('true');
    await input.fill('192.168.1.20:8000');
    const root = `http://192.168.1.20:8000${new URL(site).pathname}`;
    await expect(w.page.locator('[data-role=room-link]').textContent()).resolves.toBe(root);
    await expect(w.page.locator('.room-qr svg').getAttribute('aria-label')).resolves.toBe(`QR code of ${root}`);
    await expect(w.page.locator('#room-input-error').isVisible()).resolves.toBe(false);
    await w.page.waitForFunction(() => document.querySelector('[data-role=room-status]')?.textContent !== '');
    expect(await seriousAxeViolations(w.page)).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('served at a LAN address it shows that address and its QR code, with no warning', async () => {
    const w = await openPage(browser(), site, { width: 1280, height: 800 });
    const lan = 'http://192.168.77.5:8000';
    const served = new URL(site).origin;
    // The test server answers for the LAN address, as a laptop's server would for the room.
    await w.page.route(`${lan}/**`, async (route) => {
      const response = await route.fetch({ url: route.request().url().replace(lan, served) });
      await route.fulfill({ response });
    });
    const path = new URL(site).pathname;
    await w.page.goto(`${lan}${path}room/`);
    await w.page.waitForSelector('.room-qr svg');
    await expect(w.page.locator('[data-role=room-link]').textContent()).resolves.toBe(`${lan}${path}`);
    await expect(w.page.locator('[data-role=room-problem]').isVisible()).resolves.toBe(false);
    await expect(w.page.locator('.room-qr svg').getAttribute('aria-label')).resolves.toBe(`QR code of ${lan}${path}`);
    expect(await seriousAxeViolations(w.page)).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });
});
