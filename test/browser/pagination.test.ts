/**
 * The pagination lesson's real PostgreSQL in Chromium: the plans are on the
 * page with no database downloaded; the live console loads PostgreSQL only
 * when asked, runs a scenario's query, refuses writes, and stops a runaway
 * query by restarting its worker, after which it still answers.
 */
import { expect, test } from 'vitest';
import { site } from './built-site.ts';
import type { Page } from 'playwright-core';
import { openPage, recordCspViolations, seriousAxeViolations, useBrowser, waitReady } from './chromium.ts';
import { paginationScenarios } from '../../sim/pagination/scenarios.ts';

const SHOTS = 'test/output/screenshots';
const browser = useBrowser();

const statusMatches = (page: Page, pattern: RegExp, timeout = 30_000) =>
  page.waitForFunction((source) => new RegExp(source).test(document.querySelector('pg-console [data-role=status]')?.textContent ?? ''), pattern.source, { timeout });

test('the real plans are on the page, and PostgreSQL is downloaded only when asked', async () => {
  const w = await openPage(browser(), site);
  const fetched: string[] = [];
  w.page.on('request', (r) => fetched.push(r.url()));
  await w.page.goto(`${site}articles/pagination/`);
  await waitReady(w.page);
  const scenarios = w.page.locator('.pg-plans details.pg-scenario');
  // One block of plans per scenario.
  expect(await scenarios.count()).toBe(paginationScenarios.length);
  // The plans need no JavaScript and no database: they are text from the build.
  const deep = w.page.locator('.pg-plans details[data-scenario=offset-deep]');
  await deep.locator('summary').click();
  await expect(deep.locator('pre.pg-explain').first().textContent()).resolves.toMatch(/Index Only Scan using items_created_at_id on items \(actual rows=50000\.00 loops=1\)/);
  await expect(deep.locator('figcaption').first().textContent()).resolves.toContain('as the simulation says');
  // Without the index, PostgreSQL's plan is a top-N sort over a Seq Scan, and its rows are the simulation's.
  const noIndex = w.page.locator('.pg-plans details[data-scenario=keyset-no-index]');
  await noIndex.locator('summary').click();
  await expect(noIndex.locator('pre.pg-explain').last().textContent()).resolves.toMatch(/Sort Method: top-N heapsort[^\n]*\n[^\n]*\n\s+->  Seq Scan on items/);
  await expect(noIndex.locator('figcaption').last().textContent()).resolves.toContain('as the simulation says');
  // Play the simulation and poke around: still nothing of PostgreSQL.
  await w.page.locator('ops-player#sim').focus();
  await w.page.keyboard.press('ArrowRight');
  await w.page.waitForTimeout(300);
  expect(fetched.filter((u) => /pglite|initdb|pg-worker/.test(u))).toEqual([]);
  expect(await w.page.locator('pg-console [data-act=load]').textContent()).toMatch(/Load PostgreSQL here \(\d+\.\d MB\)/);
  expect(w.errors).toEqual([]);
  await w.context.close();
});

test('the live console runs a scenario’s query, refuses writes and stops a runaway query, with no Content-Security-Policy violation', async () => {
  const w = await openPage(browser(), site);
  // The page's policy lets PostgreSQL's worker start and compile its WebAssembly (test/browser/csp.test.ts checks the rest of the site).
  const cspViolations = await recordCspViolations(w.context, w.page);
  await w.page.goto(`${site}articles/pagination/`);
  await waitReady(w.page);
  const pc = w.page.locator('pg-console');
  await pc.scrollIntoViewIfNeeded();
  await pc.locator('[data-act=load]').click();
  await statusMatches(w.page, /^Ready: PostgreSQL 18\.\d+ \(PGlite/, 90_000);

  // The first example is the scenario's first page, as the simulation wrote it.
  expect(await pc.locator('textarea').inputValue()).toBe('SELECT id, created_at FROM items ORDER BY created_at, id LIMIT 20 OFFSET 0');
  await pc.locator('[data-act=run]').click();
  await statusMatches(w.page, /^20 rows in \d+ ms\.$/);
  const firstRow = await pc.locator('table.pg-result tbody tr').first().locator('td').allTextContents();
  expect(firstRow).toEqual(['1', '2024-01-01 00:00:00+00']);

  // Writes fail inside the read-only transaction, with PostgreSQL's own message.
  await pc.locator('textarea').fill('DELETE FROM items');
  await pc.locator('textarea').press('Control+Enter');
  await statusMatches(w.page, /cannot execute DELETE in a read-only transaction \(SQLSTATE 25006\)/);
  for (const escape of ['SET default_transaction_read_only = off', 'BEGIN READ WRITE']) {
    await pc.locator('textarea').fill(escape);
    await pc.locator('[data-act=run]').click();
    await w.page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('pg-console [data-act=run]')!.disabled);
  }
  await pc.locator('textarea').fill("INSERT INTO items VALUES (0, '2024-01-01')");
  await pc.locator('[data-act=run]').click();
  await statusMatches(w.page, /cannot execute INSERT in a read-only transaction/);
  // Two statements at once are refused by the protocol itself.
  await pc.locator('textarea').fill('SELECT 1; DELETE FROM items');
  await pc.locator('[data-act=run]').click();
  await statusMatches(w.page, /cannot insert multiple commands into a prepared statement/);

  // A query that would run for hours is stopped, and the database comes back as seeded.
  await pc.locator('textarea').fill('SELECT count(*) FROM generate_series(1, 1e12)');
  await pc.locator('[data-act=run]').click();
  await statusMatches(w.page, /^Stopped after 5 s/, 60_000);
  await pc.locator('textarea').fill('SELECT count(*) AS n, min(id), max(id) FROM items');
  await pc.locator('[data-act=run]').click();
  await statusMatches(w.page, /^1 row in/);
  expect(await pc.locator('table.pg-result tbody td').allTextContents()).toEqual(['100000', '1', '100000']);

  // Big results are capped.
  await pc.locator('textarea').fill('SELECT id FROM items');
  await pc.locator('[data-act=run]').click();
  await statusMatches(w.page, /^100000 rows in \d+ ms, 100 shown\.$/);
  expect(await pc.locator('table.pg-result tbody tr').count()).toBe(100);

  await pc.screenshot({ path: `${SHOTS}/pagination-live-console.png` });
  expect(await seriousAxeViolations(w.page)).toEqual([]);
  expect(await cspViolations()).toEqual([]);
  expect(w.errors).toEqual([]);
  expect(w.outside).toEqual([]);
  await w.context.close();
}, 240_000);
