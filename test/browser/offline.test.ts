/**
 * The offline archive (published by npm run build), as an instructor uses it: unpacked
 * into a folder, then served from any path or opened by double-click, with
 * no internet.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { site, offlineArchive } from './built-site.ts';
import type { Page } from 'playwright-core';
import { sizeInWords } from '../../scripts/offline/pages.ts';
import { serveStatic } from '../../scripts/static-server.ts';
import { archiveName } from '../../site/archive.ts';
import { synQueue } from '../../sim/syn-queue/index.ts';
import { playThePagePlayer, useBrowser } from './chromium.ts';
import { BASE, OUT } from './global-setup.ts';
import { VERSION } from './offline-archive.ts';

const PAGES = ['index.html', 'about/index.html', 'search/index.html', 'docs/embedding/index.html', 'articles/syn-queue/index.html', 'articles/cache-stampede/index.html', 'embed/syn-queue/index.html', 'embed/cache-stampede/index.html', 'slides/demo/index.html', 'labs/syn-queue/index.html', 'labs/cache-stampede/index.html', 'labs/syn-queue/guide/index.html'];
const browser = useBrowser();
const { root, entries } = offlineArchive;

/** Visits a page with every request outside `allowed` aborted, and says what went wrong. */
async function visit(url: string, allowed: (u: string) => boolean) {
  const context = await browser().newContext({ viewport: { width: 1280, height: 720 } });
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

/** What the workbench shows: its run's state and hash (ops-player's snapshot()). */
const workbench = (page: Page) =>
  page.evaluate(() => (document.querySelector('ops-player#sim') as unknown as { snapshot(): { params: Record<string, string | number>; seed: number; hash: string } }).snapshot());

/**
 * Moves the workbench's round-trip time until a run comes back from the worker (the worker starts
 * on the first interaction and answers once it has loaded), and says where the last run ran.
 */
async function changeUntilTheWorkerAnswers(page: Page): Promise<string | null> {
  const input = page.locator('#sim [data-param-input=rttMs]');
  let ranIn: string | null = null;
  for (const rttMs of ['120', '140', '160', '180', '200']) {
    await input.fill(rttMs);
    await input.dispatchEvent('change');
    await page.waitForFunction((v) => {
      const p = document.querySelector('ops-player#sim') as unknown as { snapshot(): { params: Record<string, unknown> } } & HTMLElement;
      return p.dataset.busy === 'false' && String(p.snapshot().params.rttMs) === v;
    }, rttMs);
    ranIn = await page.locator('ops-player#sim').getAttribute('data-ran-in');
    if (ranIn === 'worker') break;
    await page.waitForTimeout(300);
  }
  return ranIn;
}

describe('the archive the site publishes', () => {
  const name = archiveName(VERSION, false);

  test('the home page links the archive with its size and SHA-256; the file is there, its hash is the one shown, and its checksum file says so', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(site);
    const block = page.locator('[data-archive-download=published]');
    expect(await block.isVisible()).toBe(true);
    const href = await block.locator('a[data-archive-link]').evaluate((a) => (a as HTMLAnchorElement).href);
    const checksumHref = await block.locator('a[data-archive-checksum]').evaluate((a) => (a as HTMLAnchorElement).href);
    const shown = (await block.locator('[data-archive-sha256]').textContent())!;
    const text = (await block.textContent())!;
    await context.close();
    expect(href).toBe(`${site}downloads/${name}`);
    const zip = Buffer.from(await (await fetch(href)).arrayBuffer());
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(shown).toBe(createHash('sha256').update(zip).digest('hex'));
    expect(text).toContain(`(${sizeInWords(zip.length)})`);
    expect(text).toContain(`sha256sum -c ${name}.sha256`);
    expect(await (await fetch(checksumHref)).text()).toBe(`${shown}  ${name}\n`);
  });

  test("the about page, every lab and every lab's guide offer the same archive; the archive's own copies say where to get the latest and link no download", () => {
    const home = readFileSync(join(OUT, 'index.html'), 'utf8');
    const sha = /data-archive-sha256[^>]*>([0-9a-f]{64})</.exec(home)![1];
    for (const page of ['index.html', 'about/index.html', 'labs/syn-queue/index.html', 'labs/syn-queue/guide/index.html', 'labs/pagination/index.html']) {
      const site = readFileSync(join(OUT, page), 'utf8');
      expect(site, page).toContain(`href="${BASE}downloads/${name}"`);
      expect(site, page).toContain(sha);
      expect(site, page).not.toMatch(/data-archive-download="pending"|@@ARCHIVE/);
      const archived = readFileSync(join(root, page), 'utf8');
      expect(archived, page).toContain(`data-archive-download="archived"`);
      expect(archived, page).toContain(`Offline archive, version ${VERSION}.`);
      expect(archived, page).not.toMatch(/href="[^"]*downloads\//);
    }
    // The archive does not hold itself.
    expect(entries.filter((e) => e.includes('downloads/'))).toEqual([]);
  });

  test('the zip holds START-HERE.txt beside opslab/, saying how to open it, serve it to a room and check its hash', () => {
    expect(entries).toContain('START-HERE.txt');
    expect(entries).toContain('opslab/index.html');
    const startHere = readFileSync(join(root, '..', 'START-HERE.txt'), 'utf8');
    for (const words of ['opslab/index.html', 'python3 -m http.server 8000 --bind 0.0.0.0', 'busybox httpd', `sha256sum -c ${name}.sha256`, 'Search']) expect(startHere).toContain(words);
  });
});

describe('the offline archive', () => {
  test('holds one opslab/ folder with every page, and nothing in it loads from outside', () => {
    expect(entries.filter((e) => e !== 'START-HERE.txt').every((e) => e.startsWith('opslab/'))).toBe(true);
    for (const page of PAGES) expect(entries).toContain(`opslab/${page}`);
    for (const page of PAGES) {
      const html = readFileSync(join(root, page), 'utf8');
      // Scripts, styles, images and frames: all relative. (Links to cited sources may point outside.)
      expect(html.match(/<(script|link|img|iframe)\b[^>]*\b(src|href)="(https?:)?\/\/[^"]*"/g) ?? []).toEqual([]);
      expect(html).not.toMatch(/<script type="module"/);
      // No address names the path the site it was made from was built for.
      expect(html.match(new RegExp(`="[^"]*${BASE}[^"]*"`, 'g')) ?? [], page).toEqual([]);
    }
  });

  test('served under a sub-path with every outside request blocked, every page loads clean, its simulation plays, search works, and embed code names the folder served', async () => {
    const server = serveStatic(root, '/workshop/room-3/');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of PAGES) {
        const v = await visit(`${origin}/workshop/room-3/${path}`, (u) => u.startsWith(origin));
        await playThePagePlayer(v.page);
        if (path === 'articles/syn-queue/index.html') {
          // Embed code names the embed in the folder being served, under its path.
          const code = await v.page.locator('#sim [data-role=embed-code]').inputValue();
          expect(code).toContain(`<iframe src="${origin}/workshop/room-3/embed/syn-queue/index.html?`);
        }
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

  test("opened from file://, every page loads clean and plays, a change is computed by the worker with Node's hash, embed code names the unpacked folder, search and the PostgreSQL console say at once what they lack, and the deck drives its embeds", async () => {
    // Search needs a server (browsers will not load its index from a file); its page says so at once, takes no input and tries nothing.
    const s = await visit(pathToFileURL(join(root, 'search/index.html')).href, (u) => u.startsWith('file:'));
    await s.page.waitForFunction(() => document.querySelector('#search-status')?.textContent?.includes('served'));
    expect(await s.page.locator('#search-input').isDisabled()).toBe(true);
    expect(s.problems).toEqual([]);
    await s.context.close();
    // The live PostgreSQL console, left out of this archive, says so at once and offers no button.
    const pg = await visit(pathToFileURL(join(root, 'articles/pagination/index.html')).href, (u) => u.startsWith('file:') || u.startsWith('data:'));
    await pg.page.waitForFunction(() => /leaves out the live PostgreSQL console/.test(document.querySelector('pg-console [data-role=load-status]')?.textContent ?? ''));
    expect(await pg.page.locator('pg-console [data-act=load]').count()).toBe(0);
    expect(await pg.page.locator('pg-console button:visible').count()).toBe(0);
    expect(await pg.page.locator('pg-console [data-role=load-status]').textContent()).toContain(archiveName(VERSION, true));
    expect(pg.problems).toEqual([]);
    await pg.context.close();
    for (const path of PAGES.filter((p) => p !== 'search/index.html')) {
      const v = await visit(pathToFileURL(join(root, path)).href, (u) => u.startsWith('file:') || u.startsWith('data:'));
      await playThePagePlayer(v.page);
      if (path === 'articles/syn-queue/index.html') {
        // A change is computed off the page's thread, by the worker started from a Blob URL, and gives Node's trace.
        expect(await changeUntilTheWorkerAnswers(v.page)).toBe('worker');
        expect(v.page.workers().map((w) => w.url())).toEqual([expect.stringMatching(/^blob:/)]);
        const shown = await workbench(v.page);
        expect(Number(shown.params.rttMs)).toBeGreaterThanOrEqual(120);
        expect(shown.hash).toBe(synQueue.run(shown.params as never, shown.seed).hash);
        // Embed code names the embed beside this page in the unpacked folder.
        const code = await v.page.locator('#sim [data-role=embed-code]').inputValue();
        expect(code).toContain(`<iframe src="${pathToFileURL(join(root, 'embed/syn-queue/index.html')).href}?`);
      }
      if (path.startsWith('slides/')) {
        await v.page.waitForFunction(() => document.querySelector('.reveal.ready') !== null);
        await v.page.keyboard.press('ArrowRight');
        const frame = () => v.page.frames().find((f) => f.url().includes('embed/syn-queue'))!;
        // The frame loads as its slide is shown, from its address made relative like any other.
        await expect.poll(() => frame()?.url() ?? '').toMatch(/^file:.*embed\/syn-queue\/index\.html\?/);
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
        // The participant hands the pass in as a code; the guide, opened from the same folder, tallies it.
        await lab.locator('[data-role=results-code]').click();
        await lab.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('[data-role=results-code-text]')?.value.startsWith('OPSLAB1-'));
        await v.page.locator('[data-role=room-codes]').fill(await lab.locator('[data-role=results-code-text]').inputValue());
        await v.page.locator('[data-role=room-add-codes]').click();
        await v.page.waitForSelector('[data-role=room-tally]:not([hidden])');
        await expect(v.page.locator(`[data-role=room-rows] tr[data-exercise="${exercise}"] td`).textContent()).resolves.toBe('1 of 1');
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
