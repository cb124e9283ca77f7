/**
 * The offline archive (npm run bundle), as an instructor uses it: unpacked
 * into a folder, then served from any path or opened by double-click, with
 * no internet.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { serveStatic } from '../../scripts/static-server.ts';
import { launch, playThePagePlayer } from './chromium.ts';

const PAGES = ['index.html', 'about/index.html', 'search/index.html', 'docs/embedding/index.html', 'articles/syn-queue/index.html', 'articles/cache-stampede/index.html', 'embed/syn-queue/index.html', 'embed/cache-stampede/index.html', 'slides/demo/index.html', 'labs/syn-queue/index.html', 'labs/cache-stampede/index.html', 'labs/syn-queue/guide/index.html'];
let browser: Browser;
let root: string;
let entries: string[];

beforeAll(async () => {
  root = inject('offlineRoot');
  entries = inject('offlineEntries');
  browser = await launch();
}, 240_000);
afterAll(async () => {
  await browser?.close();
});

/** Visits a page with every request outside `allowed` aborted, and says what went wrong. */
async function visit(url: string, allowed: (u: string) => boolean) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const problems: string[] = [];
  await context.route('**/*', (route) => (allowed(route.request().url()) ? route.continue() : (problems.push(`outside: ${route.request().url()}`), route.abort())));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`error: ${e.message}`));
  await page.goto(url);
  return { page, context, problems };
}

describe('the offline archive', () => {
  test('holds one opslab/ folder with every page, and nothing in it loads from outside', () => {
    expect(entries.every((e) => e.startsWith('opslab/'))).toBe(true);
    for (const page of PAGES) expect(entries).toContain(`opslab/${page}`);
    for (const page of PAGES) {
      const html = readFileSync(join(root, page), 'utf8');
      // Scripts, styles, images and frames: all relative. (Links to cited sources may point outside.)
      expect(html.match(/<(script|link|img|iframe)\b[^>]*\b(src|href)="(https?:)?\/\/[^"]*"/g) ?? []).toEqual([]);
      expect(html).not.toMatch(/<script type="module"/);
    }
  });

  test('served under a sub-path with every outside request blocked, every page loads clean, its simulation plays, and search works', async () => {
    const server = serveStatic(root, '/workshop/room-3/');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of PAGES) {
        const v = await visit(`${origin}/workshop/room-3/${path}`, (u) => u.startsWith(origin));
        await playThePagePlayer(v.page);
        if (path === 'search/index.html') {
          await v.page.waitForFunction(() => !(document.querySelector('#search-input') as HTMLInputElement).disabled);
          await v.page.locator('#search-input').fill('backlog');
          await v.page.waitForFunction(() => document.querySelectorAll('#search-results li a').length > 0);
          await v.page.locator('#search-results li a').first().click();
          await v.page.waitForSelector('ops-player[data-ready=true]');
          expect(v.page.url()).toContain('/workshop/room-3/');
        }
        await v.page.waitForTimeout(200);
        expect(v.problems, path).toEqual([]);
        await v.context.close();
      }
    } finally {
      server.close();
    }
    // A hang guard, not a speed check: twelve pages, each played, take a minute on a busy two-core machine.
  }, 180_000);

  test('opened from file://, every page loads clean, its simulation plays, and the deck drives its embeds', async () => {
    // Search needs a server (browsers will not load its index from a file); its page says so.
    const s = await visit(pathToFileURL(join(root, 'search/index.html')).href, (u) => u.startsWith('file:'));
    await s.page.waitForFunction(() => document.querySelector('#search-status')?.textContent?.includes('served'));
    await s.context.close();
    for (const path of PAGES.filter((p) => p !== 'search/index.html')) {
      const v = await visit(pathToFileURL(join(root, path)).href, (u) => u.startsWith('file:') || u.startsWith('data:'));
      await playThePagePlayer(v.page);
      if (path.startsWith('slides/')) {
        await v.page.waitForFunction(() => document.querySelector('.reveal.ready') !== null);
        await v.page.keyboard.press('ArrowRight');
        const frame = () => v.page.frames().find((f) => f.url().includes('embed/syn-queue'))!;
        await frame().waitForSelector('ops-player[data-ready=true]');
        await v.page.keyboard.press('ArrowRight');
        await frame().waitForFunction(() => new URL(location.href).searchParams.get('scenario') === 'fastmail-2002');
        // From file:// the embed cannot reach into the deck: its keys come as messages the deck's plugin replays.
        await frame().locator('svg.chart').first().click();
        await v.page.keyboard.press('ArrowRight');
        await v.page.keyboard.press('ArrowRight');
        await v.page.waitForFunction(() => location.hash === '#/2');
      }
      // A guide's answer link opens the lab's page in the answer's state, which passes its check.
      if (path.endsWith('/guide/index.html')) {
        const link = v.page.locator('[data-answer] a.sim-link').first();
        const exercise = await link.evaluate((a) => a.closest<HTMLElement>('[data-answer]')!.dataset.answer!);
        const [lab] = await Promise.all([v.context.waitForEvent('page'), link.click()]);
        lab.on('pageerror', (e) => v.problems.push(`error: ${e.message}`));
        await lab.waitForSelector('ops-lab[data-ready=true]');
        expect(lab.url()).toMatch(/\/labs\/syn-queue\/index\.html\?scenario=[^#]*#sim$/);
        await lab.locator(`button[data-check="${exercise}"]`).click();
        await expect(lab.locator(`[data-result="${exercise}"]`).getAttribute('data-pass')).resolves.toBe('true');
      }
      // A lab's check works without a server too.
      if (path.startsWith('labs/') && !path.includes('/guide/')) {
        await v.page.waitForSelector('ops-lab[data-ready=true]');
        await v.page.locator('button[data-check]').first().click();
        await v.page.waitForSelector('[data-result][data-pass]');
      }
      // Links between pages work without a server.
      if (path === 'index.html') {
        await v.page.locator('.lesson-list a').first().click();
        await v.page.waitForSelector('ops-player[data-ready=true]');
      }
      await v.page.waitForTimeout(200);
      expect(v.problems, path).toEqual([]);
      await v.context.close();
    }
    // A hang guard, not a speed check: twelve pages, each played, take a minute on a busy two-core machine.
  }, 180_000);
});
