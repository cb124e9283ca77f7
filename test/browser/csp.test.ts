/**
 * The Content-Security-Policy every page carries (astro.config.mjs, site/layouts/) lets the site do
 * everything it does, served under a sub-path and from the offline archive opened by double-click:
 * every built page is loaded, its simulation played, and any violation the browser reports fails
 * the test, page by page.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { site, offlineArchive } from './built-site.ts';
import type { BrowserContext, Page } from 'playwright-core';
import { OUT } from './global-setup.ts';
import { playThePagePlayer, recordCspViolations, useBrowser } from './chromium.ts';

const browser = useBrowser();

function indexPages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return indexPages(path);
    return name === 'index.html' ? [path] : [];
  });
}

interface Watched {
  page: Page;
  context: BrowserContext;
  violations: () => Promise<string[]>;
}

async function watch(): Promise<Watched> {
  const context = await browser().newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  return { page, context, violations: await recordCspViolations(context, page) };
}

const violations = (w: Watched) => w.violations();

/** What a reader does first: press play where there is a player (which starts the simulation worker). */
async function playIfThereIsAPlayer(page: Page): Promise<void> {
  await playThePagePlayer(page);
  await page.waitForTimeout(400);
}

async function policyOf(page: Page): Promise<string> {
  return (await page.locator('meta[http-equiv=content-security-policy]').getAttribute('content')) ?? '';
}

describe('the Content-Security-Policy, served under a sub-path', () => {
  const pages = indexPages(OUT).map((file) => relative(OUT, file).split('\\').join('/').replace(/index\.html$/, ''));

  test('the walk finds the lessons, their embeds and labs, and the site pages', () => {
    for (const path of ['', 'about/', 'search/', 'slides/demo/', 'articles/pagination/', 'embed/syn-queue/', 'labs/syn-queue/']) expect(pages).toContain(path);
  });

  test('every page carries a policy with no unsafe source; only pages with a player may start workers, only search may compile WebAssembly', async () => {
    for (const path of pages) {
      const html = readFileSync(join(OUT, path, 'index.html'), 'utf8');
      const policy = /<meta http-equiv="content-security-policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
      expect(policy, path).toMatch(/default-src 'none'/);
      expect(policy, path).toMatch(/connect-src 'self'[;\s]/);
      expect(policy, path).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
      const hasPlayer = html.includes('<ops-player');
      expect([path, /worker-src 'self'/.test(policy)]).toEqual([path, hasPlayer]);
      expect([path, policy.includes("'wasm-unsafe-eval'")]).toEqual([path, path === 'search/']);
    }
  });

  // Loaded and played: every page that is not a lesson's, every article, and the embed, lab and
  // guide of two lessons, one whose pages run their model and one whose pages start from runs the
  // build recorded (ssh-forwarding). A kind of page carries one policy and the same scripts whatever
  // its lesson (every page's policy is checked above); the other lessons' pages are loaded, with any
  // refusal the console reports failing them, by lessons, embed, labs and offline tests.
  const played = pages.filter((path) => !/^(embed|labs)\//.test(path) || /^(embed|labs)\/(syn-queue|ssh-forwarding)\//.test(path));
  test('the pages loaded and played include every kind', () => {
    for (const path of ['', 'search/', 'slides/demo/', 'articles/backup-mx/', 'embed/ssh-forwarding/', 'labs/syn-queue/', 'labs/ssh-forwarding/guide/']) expect(played).toContain(path);
    expect(played.length).toBeLessThan(pages.length);
  });

  test.for(played)('the page at /%s loads and plays with no policy violation', async (path) => {
    const w = await watch();
    let stuck: unknown = null;
    try {
      await w.page.goto(`${site}${path}`);
      await w.page.waitForLoadState('load');
      expect(await policyOf(w.page)).not.toBe('');
      await playIfThereIsAPlayer(w.page);
      if (path === 'search/') {
        // Search runs Pagefind (WebAssembly) in the page.
        await w.page.waitForFunction(() => !(document.querySelector('#search-input') as HTMLInputElement).disabled);
        await w.page.locator('#search-input').fill('backlog');
        await w.page.waitForFunction(() => document.querySelectorAll('#search-results li a').length > 0);
      }
      if (path === 'slides/demo/') await w.page.waitForSelector('.reveal.ready');
    } catch (error) {
      // A refused script usually shows first as a page that never gets ready: name the refusal.
      stuck = error;
    }
    const found = await violations(w);
    await w.context.close();
    expect(found).toEqual([]);
    if (stuck) throw stuck;
  });
  // The pagination lesson's PostgreSQL worker and WebAssembly: test/browser/pagination.test.ts's
  // console test records violations while it loads and uses the database.
});

describe('the Content-Security-Policy, from the offline archive opened by double-click', () => {
  const root = offlineArchive.root;

  test("a page with a player may start a worker from a Blob URL (the archive's simulation worker) and from nothing else; other pages start none", () => {
    for (const page of indexPages(root)) {
      const html = readFileSync(page, 'utf8');
      const policy = /<meta http-equiv="content-security-policy" content="([^"]*)"/.exec(html)![1]!;
      expect(policy).toMatch(/default-src 'none'/);
      // A policy without worker-src falls back to default-src 'none'.
      const workers = /\bworker-src ([^;]*)/.exec(policy)?.[1] ?? "'none'";
      expect([relative(root, page), workers]).toEqual([relative(root, page), html.includes('<ops-player') ? 'blob:' : "'none'"]);
    }
  });

  test('lesson, embed, lab, deck and home pages open from file:// and play with no policy violation', async () => {
    const problems: string[] = [];
    for (const path of ['index.html', 'articles/token-bucket/index.html', 'embed/cache-stampede/index.html', 'labs/syn-queue/index.html', 'slides/demo/index.html']) {
      const w = await watch();
      await w.page.goto(pathToFileURL(join(root, path)).href);
      await w.page.waitForLoadState('load');
      expect(await policyOf(w.page), path).toMatch(/default-src 'none'/);
      await playIfThereIsAPlayer(w.page);
      if (path.startsWith('slides/')) await w.page.waitForSelector('.reveal.ready');
      problems.push(...(await violations(w)).map((v) => `${path}: ${v}`));
      await w.context.close();
    }
    expect(problems).toEqual([]);
  });
});
