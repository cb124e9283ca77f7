/**
 * Exporting and presenting from an article's figure in real Chromium: the export code loads only
 * on a click; the dialog is reached from the keyboard; a GIF of a stretch of the run decodes (with
 * omggif) to the frames and delays asked for, the same view gives the same bytes and another
 * theme other bytes; a figure as SVG keeps its words apart, inside the drawing, with the state's
 * link as its caption; "Present" opens the view as a projector embed with the figure's panels, full screen.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import type { Page, Response } from 'playwright-core';
import { openPage, type Watched, useBrowser } from './chromium.ts';
import { decodeGif } from '../output/gif-decode.ts';
import { layoutProblems } from '../output/svg-text-boxes.ts';

const article = `${site}articles/syn-queue/`;
const SHOTS = 'test/output/screenshots';
const browser = useBrowser();

/** The article with its "healthy" figure (busy-hour, picture and queue chart) on screen and started. */
async function open(): Promise<Watched> {
  const w = await openPage(browser(), site, { width: 1280, height: 900 });
  await w.page.goto(article);
  await w.page.locator('#fig-healthy').scrollIntoViewIfNeeded();
  await w.page.waitForSelector('#fig-healthy[data-ready=true]', { timeout: 15_000 });
  return w;
}

async function openDialog(page: Page) {
  await page.locator('#fig-healthy [data-export-act=animation]').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Export this view' });
  await dialog.waitFor();
  return dialog;
}

async function saved(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Uint8Array }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()]);
  return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync((await download.path())!)) };
}

async function gif(page: Page, theme: 'light' | 'projector') {
  const dialog = await openDialog(page);
  await dialog.getByLabel('Theme').selectOption(theme);
  await dialog.getByLabel('Width (pixels)').fill('480');
  await dialog.getByLabel('From (s)').fill('0');
  await dialog.getByLabel('To (s)').fill('4');
  await dialog.getByLabel('Frames per second').fill('2');
  await dialog.getByLabel('Speed').selectOption('1');
  const file = await saved(page, () => dialog.getByRole('button', { name: 'Save GIF' }).click());
  await expect.poll(() => dialog.getByRole('status').textContent(), { timeout: 60_000 }).toMatch(/^Saved /);
  await dialog.getByRole('button', { name: 'Close' }).click();
  return file;
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('export', () => {
  test('the page loads none of the export dialog before a click; the click brings it', async () => {
    const w = await open();
    const scripts: Response[] = [];
    w.page.on('response', (r) => void (r.request().resourceType() === 'script' && scripts.push(r)));
    const before = await w.page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.js')).map((e) => e.name));
    const bodies = await Promise.all(before.map((url) => w.page.evaluate((u) => fetch(u).then((r) => r.text()), url)));
    expect(bodies.filter((b) => b.includes('Save GIF'))).toEqual([]);
    await openDialog(w.page);
    const loaded = await Promise.all(scripts.map((r) => r.text()));
    expect(loaded.some((b) => b.includes('Save GIF'))).toBe(true);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('a GIF of 0 to 4 s at 2 frames a second and 1× is 9 frames 500 ms apart, 480 px wide, looping; the same view gives the same bytes, the projector theme others', async () => {
    const w = await open();
    const first = await gif(w.page, 'light');
    expect(first.name).toBe('syn-queue-busy-hour-t0s-to-4s.gif');
    const decoded = decodeGif(first.bytes);
    expect(decoded.delaysMs).toEqual(Array(9).fill(500));
    expect(decoded.width).toBe(480);
    expect(decoded.loop).toBe(0);
    const again = await gif(w.page, 'light');
    expect(sha(again.bytes)).toBe(sha(first.bytes));
    const projector = await gif(w.page, 'projector');
    expect(sha(projector.bytes)).not.toBe(sha(first.bytes));
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('Cancel stops a long export: no file, and the dialog says so', async () => {
    const w = await open();
    const downloads: string[] = [];
    w.page.on('download', (d) => downloads.push(d.suggestedFilename()));
    const dialog = await openDialog(w.page);
    await dialog.getByLabel('From (s)').fill('0');
    await dialog.getByLabel('To (s)').fill('60');
    await dialog.getByLabel('Speed').selectOption('1');
    await dialog.getByRole('button', { name: 'Save GIF' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent(), { timeout: 30_000 }).toMatch(/^Frame \d+ of 601/);
    await dialog.getByRole('button', { name: 'Cancel export' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent(), { timeout: 30_000 }).toBe('Export cancelled.');
    expect(downloads).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('the figure as SVG: the chosen panels, no word overlapping another or leaving the drawing, and the state’s link as its caption', async () => {
    const w = await open();
    const dialog = await openDialog(w.page);
    const file = await saved(w.page, () => dialog.getByRole('button', { name: 'Save SVG' }).click());
    const svg = new TextDecoder().decode(file.bytes);
    expect(file.name).toBe('syn-queue-busy-hour-t0s-picture-queues.svg');
    expect(svg).toContain('<svg class="x-part synq"');
    expect(layoutProblems(svg, 'light')).toEqual([]);
    const caption = [...svg.matchAll(/<text class="x-caption"[^>]*>([^<]*)</g)].map((m) => m[1]).join('').replace(/&#38;/g, '&');
    expect(caption).toMatch(new RegExp(`^${article.replace(/[.?]/g, '\\$&')}\\?scenario=busy-hour.*#sim$`));
    await w.context.close();
  });
});

describe('present', () => {
  test('opens the figure’s view as a projector embed with its panels, full screen, and Close returns to the button', async () => {
    const w = await open();
    const present = w.page.locator('#fig-healthy [data-export-act=present]');
    await present.focus();
    await w.page.keyboard.press('Enter');
    const frame = w.page.locator('.present-overlay iframe');
    await frame.waitFor();
    const src = new URL((await frame.getAttribute('src'))!);
    expect(src.pathname).toMatch(/\/embed\/syn-queue\/$/);
    expect(src.searchParams.get('scenario')).toBe('busy-hour');
    expect(src.searchParams.get('theme')).toBe('projector');
    expect(src.searchParams.get('panels')).toBe('picture chart:queues');
    await expect.poll(() => w.page.evaluate(() => document.fullscreenElement?.className), { timeout: 10_000 }).toBe('present-overlay');
    const embed = w.page.frameLocator('.present-overlay iframe');
    await embed.locator('ops-player[data-ready=true]').waitFor({ timeout: 15_000 });
    expect(await embed.locator('html').getAttribute('data-theme')).toBe('projector');
    mkdirSync(SHOTS, { recursive: true });
    await w.page.screenshot({ path: `${SHOTS}/present.png` });
    await w.page.getByRole('button', { name: 'Close (Esc)' }).click();
    await expect.poll(() => w.page.locator('.present-overlay').count()).toBe(0);
    expect(await present.evaluate((el) => el === document.activeElement)).toBe(true);
    await w.context.close();
  });
});
