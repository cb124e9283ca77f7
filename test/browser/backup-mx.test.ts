/**
 * The backup-MX lesson in Chromium: time reads in hours with the wall clock,
 * the arrow keys move by 15 minutes, the outage is shaded on every chart, and
 * the session panel shows the exact SMTP dialogue the model wrote, with the
 * ACL statement that decided it.
 */
import { expect, test } from 'vitest';
import { site } from './built-site.ts';
import { scenarioState } from '../../sim/core/index.ts';
import { backupMx } from '../../sim/backup-mx/index.ts';
import { openPage, waitReady, useBrowser } from './chromium.ts';

const SHOTS = 'test/output/screenshots';
const browser = useBrowser();

const clock = (w: { page: import('playwright-core').Page }) => w.page.locator('#sim [data-role=clock]').textContent();

test('the clock reads in hours and wall-clock time, and the arrows step 15 minutes', async () => {
  const w = await openPage(browser(), site);
  await w.page.goto(`${site}articles/backup-mx/?scenario=outage-no-backup&t=14400`);
  await waitReady(w.page);
  expect(await clock(w)).toBe('4 h / 24 h · Mon 22:00');
  await w.page.locator('ops-player#sim').focus();
  await w.page.keyboard.press('ArrowRight');
  await w.page.waitForFunction(() => document.querySelector('#sim [data-role=clock]')?.textContent?.startsWith('4.25 h'));
  expect(await clock(w)).toBe('4.25 h / 24 h · Mon 22:15');
  await w.page.keyboard.press('Shift+ArrowLeft');
  await w.page.waitForFunction(() => document.querySelector('#sim [data-role=clock]')?.textContent?.startsWith('1.75 h'));
  expect(await w.page.locator('#sim [data-role=timeline]').getAttribute('aria-valuetext')).toBe('1.75 of 24 hours, Mon 19:45');
  expect(await w.page.locator('#sim [data-act=forward]').getAttribute('aria-label')).toBe('Forward 15 minutes');
  // The outage is one shaded span on each of the four charts, from 22:00 to 10:45.
  const bands = w.page.locator('#sim [data-role=charts] svg.chart rect.band');
  expect(await bands.count()).toBe(4);
  const speeds = await w.page.locator('#sim [data-role=speed] option').allTextContents();
  expect(speeds).toEqual(['0.25 h/s', '0.5 h/s', '1 h/s', '2 h/s', '4 h/s']);
  expect(w.errors).toEqual([]);
  await w.context.close();
});

test('a deferred session at the backup shows its dialogue and the statement that decided it', async () => {
  const w = await openPage(browser(), site);
  const tSec = 2 * 3600;
  await w.page.goto(`${site}articles/backup-mx/?scenario=primary-up&t=${tSec}`);
  await waitReady(w.page);
  const state = scenarioState(backupMx, 'primary-up');
  const trace = backupMx.run(state.params, state.seed);
  const panel = w.page.locator('#sim .inspector-panel');
  const pick = panel.locator('select[data-role=inspect-pick]');
  const values = await pick.locator('option').evaluateAll((os) => os.map((o) => Number((o as HTMLOptionElement).value)));
  expect(values.length).toBeGreaterThan(5);
  for (const i of values) expect(trace.log[i]!.tMs).toBeLessThanOrEqual(tSec * 1000);
  // Walk up to the newest 451 with the keyboard.
  const deferred = values.filter((i) => trace.log[i]!.kind === 'rcpt-451').at(-1)!;
  await pick.focus();
  for (let k = 0; k < values.length && Number(await pick.inputValue()) !== deferred; k++) await w.page.keyboard.press('ArrowUp');
  expect(Number(await pick.inputValue())).toBe(deferred);
  const shown = (await panel.locator('[data-role=inspect-detail]').textContent())!;
  expect(shown).toBe(trace.log[deferred]!.detail);
  const lines = shown.split('\n');
  expect(lines[0]).toMatch(/^S: 220 mx2\.example\.org ESMTP Exim 4\.69 Mon, 26 Jan 2009 \d\d:\d\d:\d\d \+0000$/);
  expect(lines).toContain('S: 451 The primary MX is working, please use it');
  expect(lines.some((l) => l.includes('# defer   ! condition = $acl_m_callout_deferred'))).toBe(true);
  expect(lines.at(-1)).toBe('S: 221 mx2.example.org closing connection');
  await panel.screenshot({ path: `${SHOTS}/backup-mx-session.png` });
  expect(w.errors).toEqual([]);
  expect(w.outside).toEqual([]);
  await w.context.close();
});

test('the mail-flow picture redraws at the cursor: the primary is down by 22:15, and the words and the live region say so', async () => {
  for (const width of [1280, 390]) {
    const w = await openPage(browser(), site, { width, height: 900 });
    await w.page.goto(`${site}articles/backup-mx/?scenario=outage-callout-acl&t=14400`);
    await waitReady(w.page);
    const picture = w.page.locator('#sim [data-role=picture] svg.bmx');
    const words = () => w.page.locator('#sim [data-role=picture-text]').textContent();
    await expect(picture.locator('[data-box=mx1] text').allTextContents()).resolves.toEqual(['mx1, primary MX', 'UP: takes mail']);
    await w.page.locator('ops-player#sim').focus();
    // At 22:00 the cursor shows the five minutes up to it; 15 minutes on, the outage that began at 22:00.
    await w.page.keyboard.press('ArrowRight');
    await w.page.waitForFunction(() => document.querySelector('#sim [data-role=clock]')?.textContent?.endsWith('Mon 22:15'));
    await expect(picture.locator('[data-box=mx1] text').allTextContents()).resolves.toEqual(['mx1, primary MX', 'DOWN: times out']);
    await expect(words()).resolves.toContain('Mon 22:15. The primary is down: connections to it time out.');
    await expect(w.page.locator('#sim [data-role=picture-change]').textContent()).resolves.toMatch(/^Primary down: connections to it time out/);
    await expect(picture.locator('desc').textContent()).resolves.toBe(await words());
    await w.page.locator('#sim .picture-figure').screenshot({ path: `${SHOTS}/backup-mx-picture-${width}.png` });
    // Nothing in the picture sticks out of the page on a phone.
    expect(await w.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(w.errors).toEqual([]);
    await w.context.close();
  }
});
