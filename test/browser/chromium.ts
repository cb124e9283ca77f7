/** Debian's chromium through playwright-core, with every page's console errors and outside requests recorded. */
import { readdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * The test file's browser: launched before its first test and closed after its last (after the
 * file's own afterAll hooks, which vitest runs in reverse order). Called at the file's top level;
 * the returned function gives the browser inside hooks and tests.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is used before the file has started');
    return browser;
  };
}

export interface Watched {
  page: Page;
  context: BrowserContext;
  errors: string[];
  outside: string[];
}

/** A new context and page that record console errors, page errors and any request leaving `siteUrl`'s origin. */
export async function openPage(
  browser: Browser,
  siteUrl: string,
  options: { width?: number; height?: number; javaScriptEnabled?: boolean; reducedMotion?: 'reduce' | 'no-preference' } = {},
): Promise<Watched> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 720 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    reducedMotion: options.reducedMotion ?? 'no-preference',
  });
  const page = await context.newPage();
  const origin = new URL(siteUrl).origin;
  const errors: string[] = [];
  const outside: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) outside.push(url);
  });
  return { page, context, errors, outside };
}

/** The lessons, by their articles' file names: what every per-lesson browser test walks through. */
export const LESSONS: readonly string[] = readdirSync('content/articles')
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => f.replace(/\.mdx$/, ''));

/**
 * What a reader does first: press play on the page's own player, if it has one (an article's
 * workbench, a lab's or an embed's player; an article's figures start only when reached).
 */
export async function playThePagePlayer(page: Page): Promise<void> {
  if ((await page.locator('ops-player').count()) === 0) return;
  const player = 'ops-player:not([data-figure])';
  await page.waitForSelector(`${player}[data-ready=true]`, { timeout: 15_000 });
  await page.locator(`${player} button[data-act=play]`).click();
  await page.waitForFunction((p) => document.querySelector(p)?.getAttribute('data-playing') === 'true', player);
}

export async function waitReady(page: Page): Promise<void> {
  await page.waitForSelector('ops-player#sim[data-ready=true]', { timeout: 15_000 });
}

/**
 * Records the Content-Security-Policy violations a context's pages report: in every frame, from the
 * moment each document starts (an init script), and those only the console reports (a worker's).
 * Call before the page loads; the function returned lists them.
 */
export async function recordCspViolations(context: BrowserContext, page: Page): Promise<() => Promise<string[]>> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    window.addEventListener(
      'securitypolicyviolation',
      (e) => seen.push(`${e.effectiveDirective} refused ${e.blockedURI || '(inline)'} (${e.sourceFile}:${e.lineNumber}) sample=${e.sample}`),
      true,
    );
  });
  const consoleReports: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) consoleReports.push(`console ${m.type()}: ${m.text()}`);
  });
  return async () => {
    const fromEvents = await Promise.all(
      page.frames().map((f) => f.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []).catch(() => [])),
    );
    return [...fromEvents.flat(), ...consoleReports];
  };
}

/**
 * axe's serious and critical violations on the page as it stands, one line each (empty when clean).
 * Legacy mode runs axe once in the page and its same-origin frames (the site has no other kind),
 * where the default opens a blank page to merge per-frame results: the same rules and findings, in
 * half the time on a page of seven figures. `within`, a selector, limits the check to that part of the page.
 */
export async function seriousAxeViolations(page: Page, within?: string): Promise<string[]> {
  const axe = new AxeBuilder({ page }).setLegacyMode(true);
  const results = await (within === undefined ? axe : axe.include(within)).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}
