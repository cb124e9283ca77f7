/**
 * The SYN-queue lesson in real Chromium, served from a sub-path: it loads clean,
 * plays, scrubs, re-runs on a slider, reproduces from a copied link, works from
 * the keyboard, passes axe, and computes the same traces as Node.
 */
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import type { Page } from 'playwright-core';
import { decodeState, scenarioState } from '../../sim/core/index.ts';
import { synQueue } from '../../sim/syn-queue/index.ts';
import { openPage, waitReady, type Watched, seriousAxeViolations, useBrowser } from './chromium.ts';

const backlogMax = (synQueue.params.backlog as { max: number }).max;

const article = `${site}articles/syn-queue/`;
const SHOTS = 'test/output/screenshots';
const browser = useBrowser();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
});

async function open(url: string, options?: Parameters<typeof openPage>[2]): Promise<Watched> {
  const w = await openPage(browser(), site, options);
  await w.page.goto(url);
  if (options?.javaScriptEnabled !== false && (await w.page.locator('ops-player#sim').count()) > 0) await waitReady(w.page);
  return w;
}

const hashOf = (page: Page) => page.locator('ops-player#sim').getAttribute('data-trace-hash');
/** Runs happen in a worker: wait until the player shows the result of its latest request. */
const settled = (page: Page) => page.waitForFunction(() => document.querySelector('ops-player#sim')?.getAttribute('data-busy') === 'false');
const clock = (page: Page) => page.locator('#sim [data-role=clock]').textContent();
const cursorX = (page: Page) => page.locator('#sim svg.chart .cursor').first().getAttribute('x1');

describe('the SYN-queue article', () => {
  test('loads with no console error and no request outside the site; the worker starts only once the reader interacts', async () => {
    const w = await open(article);
    expect(w.page.workers()).toHaveLength(0);
    await w.page.locator('#sim button[data-act=play]').click();
    await w.page.waitForEvent('worker', { timeout: 5000 }).catch(() => null);
    expect(w.page.workers().map((worker) => worker.url()).join(' ')).toMatch(/sim-worker/);
    // The worker brings no model of its own: it imports the page's chunks, so its script names no other file.
    const workerUrl = w.page.workers().map((worker) => worker.url()).find((u) => u.includes('sim-worker'))!;
    const workerSource = await w.page.evaluate(async (u) => (await fetch(u)).text(), workerUrl);
    expect(workerSource).not.toMatch(/["'`]\.{1,2}\/[^"'`]+\.js["'`]/);
    // A parameter change after the worker is ready is computed there and still matches Node.
    await w.page.waitForTimeout(300);
    const input = w.page.locator('#sim [data-param-input=rttMs]');
    await input.fill('120');
    await input.dispatchEvent('change');
    await w.page.waitForFunction(() => new URL(location.href).searchParams.get('rttMs') === '120');
    await settled(w.page);
    expect(await w.page.locator('ops-player#sim').getAttribute('data-ran-in')).toBe('worker');
    const state = decodeState(synQueue, new URL(w.page.url()).search).state;
    expect(await hashOf(w.page)).toBe(synQueue.run(state.params, state.seed).hash);
    expect(w.errors).toEqual([]);
    expect(w.outside).toEqual([]);
    await w.context.close();
  });

  test('play moves the cursor and the clock; pause stops them', async () => {
    const w = await open(`${article}?scenario=fastmail-2002&t=0`);
    const x0 = await cursorX(w.page);
    expect(await clock(w.page)).toMatch(/^0 s \//);
    await w.page.locator('#sim button[data-act=play]').click();
    await w.page.waitForFunction(() => document.querySelector('ops-player#sim')?.getAttribute('data-playing') === 'true');
    // However slow the machine, wait until time has visibly moved before pausing.
    await w.page.waitForFunction(() => !/^0 s/.test(document.querySelector('#sim [data-role=clock]')?.textContent ?? ''));
    await w.page.locator('#sim button[data-act=play]').click();
    const x1 = await cursorX(w.page);
    const t1 = await clock(w.page);
    expect(Number(x1)).toBeGreaterThan(Number(x0));
    expect(t1).not.toMatch(/^0 s/);
    await w.page.waitForTimeout(300);
    expect(await clock(w.page)).toBe(t1);
    await w.context.close();
  });

  test('scrubbing the timeline moves the cursor, the log and the outcome counts', async () => {
    const w = await open(`${article}?scenario=fastmail-2002`);
    const timeline = w.page.locator('#sim [data-role=timeline]');
    await timeline.fill('30');
    expect(await clock(w.page)).toBe('30 s / 300 s');
    const started30 = await w.page.locator('#sim table.outcomes caption').first().textContent();
    const log30 = await w.page.locator('#sim [data-role=log]').textContent();
    await timeline.fill('200');
    expect(await clock(w.page)).toBe('200 s / 300 s');
    expect(await w.page.locator('#sim table.outcomes caption').first().textContent()).not.toBe(started30);
    expect(await w.page.locator('#sim [data-role=log]').textContent()).not.toBe(log30);
    expect(new URL(w.page.url()).searchParams.get('t')).toBe('200');
    await w.context.close();
  });

  test('changing a parameter re-runs the simulation and redraws the chart', async () => {
    const w = await open(`${article}?scenario=fastmail-2002`);
    const before = await hashOf(w.page);
    const path = () => w.page.locator('#sim svg.chart .series path.past').first().getAttribute('d');
    const pathBefore = await path();
    const input = w.page.locator('#sim [data-param-input=tcp_synack_retries]');
    await input.fill('2');
    await input.dispatchEvent('change');
    await w.page.waitForFunction((h) => document.querySelector('ops-player#sim')?.getAttribute('data-trace-hash') !== h, before);
    await settled(w.page);
    expect(await path()).not.toBe(pathBefore);
    const state = decodeState(synQueue, new URL(w.page.url()).search).state;
    expect(state.params.tcp_synack_retries).toBe(2);
    expect(await hashOf(w.page)).toBe(synQueue.run(state.params, state.seed).hash);
    // The slider drives the same parameter.
    const slider = w.page.locator('#sim [data-param-slider=clientsPerSec]');
    await slider.focus();
    await w.page.keyboard.press('ArrowRight');
    await w.page.waitForFunction(() => new URL(location.href).searchParams.has('clientsPerSec'));
    // And one button puts every parameter back to the scenario's values.
    await w.page.locator('#sim button[data-act=reset-params]').click();
    await w.page.waitForFunction((h) => document.querySelector('ops-player#sim')?.getAttribute('data-trace-hash') === h, before);
    expect(new URL(w.page.url()).searchParams.has('tcp_synack_retries')).toBe(false);
    await w.context.close();
  });

  test('a copied link reproduces the same view in a fresh page', async () => {
    const w = await open(`${article}?scenario=slow-app`);
    await w.page.locator('#sim [data-param-input=acceptPerSec]').fill('150');
    await w.page.locator('#sim [data-param-input=acceptPerSec]').dispatchEvent('change');
    await settled(w.page);
    await w.page.locator('#sim [data-role=timeline]').fill('42');
    await w.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await w.page.locator('#sim button[data-act=copy-link]').click();
    const link = await w.page.locator('#sim [data-role=link]').inputValue();
    expect(link).toContain('acceptPerSec=150');
    expect(link).toContain('t=42');
    const hash = await hashOf(w.page);
    const log = await w.page.locator('#sim [data-role=log]').textContent();
    const again = await open(link);
    expect(await hashOf(again.page)).toBe(hash);
    expect(await clock(again.page)).toBe('42 s / 90 s');
    expect(await again.page.locator('#sim [data-param-input=acceptPerSec]').inputValue()).toBe('150');
    expect(await again.page.locator('#sim [data-role=log]').textContent()).toBe(log);
    await w.context.close();
    await again.context.close();
  });

  test('an article link puts a player (the figure it drives) into the state it names', async () => {
    const w = await open(article);
    const link = w.page.locator('a.sim-link').filter({ has: w.page.locator('xpath=self::*[not(@data-play)]') }).first();
    const href = (await link.getAttribute('href'))!;
    const expected = decodeState(synQueue, new URL(href, article).search).state;
    await link.click();
    const hash = synQueue.run(expected.params, expected.seed).hash;
    await w.page.waitForFunction((h) => [...document.querySelectorAll('ops-player[data-figure]')].some((p) => p.getAttribute('data-trace-hash') === h), hash);
    await w.context.close();
  });

  test('the keyboard drives the player: space, arrows, Home and End', async () => {
    const w = await open(`${article}?scenario=busy-hour&t=10`);
    await w.page.locator('ops-player#sim').focus();
    await w.page.keyboard.press('ArrowRight');
    expect(await clock(w.page)).toBe('11 s / 60 s');
    await w.page.keyboard.press('Shift+ArrowLeft');
    expect(await clock(w.page)).toBe('1 s / 60 s');
    await w.page.keyboard.press('End');
    expect(await clock(w.page)).toBe('60 s / 60 s');
    await w.page.keyboard.press('Home');
    expect(await clock(w.page)).toBe('0 s / 60 s');
    await w.page.keyboard.press(' ');
    await w.page.waitForFunction(() => document.querySelector('ops-player#sim')?.getAttribute('data-playing') === 'true');
    await w.page.keyboard.press(' ');
    expect(await w.page.locator('ops-player#sim').getAttribute('data-playing')).toBe('false');
    // Every control is reachable by Tab, and the focused one is visibly outlined.
    await w.page.locator('#sim button[data-act=start]').focus();
    await w.page.keyboard.press('Tab');
    const outline = await w.page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await w.context.close();
  });

  test('the outcome tables on the page add up at every moment: started = sum of outcomes + still in progress', async () => {
    const w = await open(`${article}?scenario=syn-flood`);
    const check = async () => {
      const groups = await w.page.locator('#sim table.outcomes').evaluateAll((tables) =>
        tables.map((t) => {
          const num = (s: string | null | undefined) => Number((s ?? '').replace(/[^0-9]/g, ''));
          const started = num(t.querySelector('caption')?.textContent?.split(':')[1]);
          const cells = [...t.querySelectorAll('tbody td')].map((td) => num(td.textContent));
          return { started, sum: cells.reduce((a, b) => a + b, 0) };
        }),
      );
      expect(groups.length).toBe(2);
      for (const g of groups) expect(g.sum).toBe(g.started);
    };
    for (const t of ['5', '37', '80', '120']) {
      await w.page.locator('#sim [data-role=timeline]').fill(t);
      await check();
    }
    await w.context.close();
  });

  test('a hostile link is tamed, and the page says what it changed', async () => {
    const w = await open(`${article}?scenario=nope&backlog=99999&rttMs=fast&seed=-4&t=1e9&%3Cscript%3E=1`);
    const notice = await w.page.locator('#sim [data-role=notice]').textContent();
    expect(notice).toContain('unknown scenario');
    expect(notice).toContain('backlog');
    expect(notice).toContain('rttMs');
    expect(notice).toContain('seed');
    // Clamped to the parameter's largest value, as the notice says.
    expect(await w.page.locator('#sim [data-param-input=backlog]').inputValue()).toBe(String(backlogMax));
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('a link with t=-1 opens at the start, and the note says the start, not the end', async () => {
    const w = await open(`${article}?t=-1`);
    expect(await w.page.locator('#sim [data-role=notice]').textContent()).toContain('t=-1 is before the start of the run; showing 0 s');
    expect(await w.page.locator('#sim [data-role=timeline]').inputValue()).toBe('0');
    expect(await w.page.locator('#sim [data-role=clock]').textContent()).toMatch(/^0 s \//);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('without JavaScript the page still shows the first scenario’s charts, diagram and accounts', async () => {
    const w = await open(article, { javaScriptEnabled: false });
    await w.page.waitForLoadState('load');
    expect(await w.page.locator('#sim svg.chart').count()).toBe(synQueue.view.charts.length);
    expect(await w.page.locator('#sim svg.chart path.past').first().getAttribute('d')).toMatch(/^M/);
    expect(await w.page.locator('#sim svg.diagram g.state').count()).toBeGreaterThan(5);
    expect(await w.page.locator('#sim table.outcomes').count()).toBeGreaterThan(0);
    await w.page.screenshot({ path: `${SHOTS}/article-nojs-1280x720.png` });
    await w.context.close();
  });

  // The article as it opens, with every figure started, is lesson-figures.test.ts; here the
  // workbench in the middle of the outage (its log's warnings, its tables mid-run), and the site's own pages.
  test.each([
    ['the workbench at the outage', 'articles/syn-queue/?scenario=fastmail-2002&t=150', '#sim'],
    ['the home page', '', undefined],
    ['the about page', 'about/', undefined],
  ])('axe finds no serious or critical violation in %s', async (_name, path, within) => {
    const w = await open(`${site}${path}`, { javaScriptEnabled: true });
    // Open every disclosure so hidden tables and text are checked too.
    await w.page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    expect(await seriousAxeViolations(w.page, within)).toEqual([]);
    await w.context.close();
  });

  test.each([
    [360, 740],
    [1280, 720],
  ])('at %ix%i nothing overflows sideways, and a screenshot is saved', async (width, height) => {
    const w = await open(`${article}?scenario=fastmail-2002&t=150`, { width, height });
    const overflow = await w.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await w.page.screenshot({ path: `${SHOTS}/article-${width}x${height}.png` });
    await w.page.locator('ops-player#sim').screenshot({ path: `${SHOTS}/player-${width}x${height}.png` });
    await w.context.close();
  });

  test('reduced motion: links jump instead of scrolling smoothly, and the page still plays on request', async () => {
    const w = await open(article, { reducedMotion: 'reduce' });
    expect(await w.page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior)).toBe('auto');
    await w.page.locator('#sim button[data-act=play]').click();
    await w.page.waitForFunction(() => document.querySelector('ops-player#sim')?.getAttribute('data-playing') === 'true');
    await w.context.close();
  });
});

describe('the site under a sub-path', () => {
  test('home links to the lesson, the lesson links home, and every page loads clean', async () => {
    const w = await openPage(browser(), site);
    await w.page.goto(site);
    await w.page.locator('.lesson-list a').first().click();
    await waitReady(w.page);
    // The player writes its state into the address (every view is a link), so compare the path.
    expect(new URL(w.page.url()).pathname).toBe(new URL(article).pathname);
    await w.page.locator('.site-header a', { hasText: 'About' }).click();
    expect(w.page.url()).toBe(`${site}about/`);
    await w.page.locator('.brand').click();
    expect(w.page.url()).toBe(site);
    expect(w.errors).toEqual([]);
    expect(w.outside).toEqual([]);
    await w.page.screenshot({ path: `${SHOTS}/home-1280x720.png` });
    await w.context.close();
  });
});
