/**
 * Embeds in slides, in real Chromium: the site's reveal.js demo deck (fragments that drive two
 * simulations, keys that still move the slides after a click into a frame) and a deck on another
 * host with the shipped plugin.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import { serveStatic } from '../../scripts/static-server.ts';
import { openPage, useBrowser } from './chromium.ts';

const SHOTS = 'test/output/screenshots';
const browser = useBrowser();

describe('the reveal.js demo deck', () => {
  test('fragments switch scenarios and play to a time in two simulations, and arrows still move the slides after a click in a frame', async () => {
    const w = await openPage(browser(), site, { width: 1280, height: 720 });
    await w.page.goto(`${site}slides/demo/`);
    await w.page.waitForFunction(() => document.querySelector('.reveal.ready') !== null);
    const slide = () => w.page.evaluate(() => (window as unknown as { location: Location }).location.hash);
    const embedUrls = () => w.page.frames().map((f) => f.url()).filter((url) => url.includes('/embed/'));
    // The title slide loads no embed: each frame waits for the deck to come near its slide.
    await w.page.waitForTimeout(500);
    expect(embedUrls()).toEqual([]);
    await w.page.keyboard.press('ArrowRight');
    await w.page.waitForFunction(() => location.hash === '#/1');
    const frame = () => w.page.frames().find((f) => f.url().includes('/embed/syn-queue/'))!;
    // Shown, the slide's embed loads, and the next slide's with it.
    await expect.poll(embedUrls).toEqual([expect.stringContaining('/embed/syn-queue/'), expect.stringContaining('/embed/cache-stampede/')]);
    await frame().waitForSelector('ops-player[data-ready=true]');

    await w.page.keyboard.press('ArrowRight');
    await frame().waitForFunction(() => new URL(location.href).searchParams.get('scenario') === 'fastmail-2002');
    await w.page.keyboard.press('ArrowRight');
    await frame().waitForFunction(() => document.querySelector('ops-player')?.getAttribute('data-playing') === 'false' && new URL(location.href).searchParams.get('t') === '60', undefined, { timeout: 45_000 });

    // Back one fragment: the simulation is replayed to the state the slide shows (scenario switched, not played).
    await w.page.keyboard.press('ArrowLeft');
    await frame().waitForFunction(() => {
      const q = new URL(location.href).searchParams;
      return q.get('t') === '0' && q.get('scenario') === 'fastmail-2002' && document.querySelector('ops-player')?.getAttribute('data-busy') === 'false';
    });

    // A click inside the frame, then the arrows: the deck moves on (the first shows the fragment that
    // plays the first minute, the second leaves the slide while it plays).
    await frame().locator('svg.chart').first().click();
    await w.page.keyboard.press('ArrowRight');
    await w.page.keyboard.press('ArrowRight');
    await w.page.waitForFunction(() => location.hash === '#/2');
    expect(await slide()).toBe('#/2');
    // Leaving the slide paused its simulation before the minute was over.
    await frame().waitForFunction(() => document.querySelector('ops-player')?.getAttribute('data-playing') === 'false');
    expect(Number(new URL(frame().url()).searchParams.get('t') ?? 60)).toBeLessThan(60);

    // The second simulation on the next slide is driven the same way.
    const cache = () => w.page.frames().find((f) => f.url().includes('/embed/cache-stampede/'))!;
    await cache().waitForSelector('ops-player[data-ready=true]');
    await w.page.keyboard.press('ArrowRight');
    await cache().waitForFunction(() => document.querySelector('ops-player')?.getAttribute('data-playing') === 'false' && new URL(location.href).searchParams.get('t') === '16', undefined, { timeout: 45_000 });
    await w.page.keyboard.press('ArrowRight');
    await cache().waitForFunction(() => new URL(location.href).searchParams.get('scenario') === 'single-flight-lock');
    await w.page.screenshot({ path: `${SHOTS}/deck-1280x720.png` });

    // Back through both fragments and onto the first simulation's slide: each embed is put where its
    // slide is, with the fragments still shown replayed (a play as a jump to where it stopped).
    await w.page.keyboard.press('ArrowLeft');
    await cache().waitForFunction(() => {
      const q = new URL(location.href).searchParams;
      return q.get('scenario') === 'herd' && q.get('t') === '16';
    });
    await w.page.keyboard.press('ArrowLeft');
    await w.page.keyboard.press('ArrowLeft');
    // Back on a slide, reveal.js shows all its fragments and names the last in the address (#/1/0/1).
    await w.page.waitForFunction(() => location.hash.startsWith('#/1'));
    await frame().waitForFunction(() => {
      const q = new URL(location.href).searchParams;
      return q.get('scenario') === 'fastmail-2002' && q.get('t') === '60' && document.querySelector('ops-player')?.getAttribute('data-playing') === 'false';
    });
    expect(w.errors).toEqual([]);
    expect(w.outside).toEqual([]);
    await w.context.close();
  });

  test('a deck on another host, with the shipped plugin: a click into an embed, and the arrows still move the deck and reset the embed', async () => {
    // The deck is served by a server of its own, another origin on the same machine, so the embed
    // cannot reach into it and hands its keys over as messages, which the plugin replays.
    const w = await openPage(browser(), site, { width: 1280, height: 720 });
    const src = `${site}embed/syn-queue/?scenario=busy-hour&controls=minimal`;
    const dir = mkdtempSync(join(tmpdir(), 'opslab-deck-'));
    copyFileSync('node_modules/reveal.js/dist/reveal.js', join(dir, 'reveal.js'));
    copyFileSync('node_modules/reveal.js/dist/reveal.css', join(dir, 'reveal.css'));
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Deck</title><link rel="icon" href="data:,"><link rel="stylesheet" href="reveal.css"></head><body>
      <div class="reveal"><div class="slides">
        <section><h1>One</h1></section>
        <section>
          <iframe data-sim-frame data-sim-start='[{"type":"setScenario","scenario":"busy-hour"}]' src="${src}" width="960" height="540" title="Simulation"></iframe>
          <p class="fragment" data-sim-command='{"type":"setScenario","scenario":"fastmail-2002"}'>The outage.</p>
        </section>
        <section><h1>Three</h1></section>
      </div></div>
      <script src="reveal.js"></script>
      <script src="${site}embed/opslab-reveal.js"></script>
      <script>Reveal.initialize({ hash: true, transition: 'none', plugins: [OpslabEmbeds] });</script>
    </body></html>`,
    );
    const deckServer = serveStatic(dir);
    await new Promise<void>((resolve) => deckServer.listen(0, '127.0.0.1', resolve));
    const deckUrl = `http://127.0.0.1:${(deckServer.address() as AddressInfo).port}/`;
    expect(new URL(deckUrl).origin).not.toBe(new URL(site).origin);
    await w.page.goto(`${deckUrl}#/1`);
    await w.page.waitForFunction(() => document.querySelector('.reveal.ready') !== null);
    const frame = () => w.page.frames().find((f) => f.url().includes('/embed/syn-queue/'))!;
    await frame().waitForSelector('ops-player[data-ready=true]');
    await w.page.keyboard.press('ArrowRight');
    await frame().waitForFunction(() => new URL(location.href).searchParams.get('scenario') === 'fastmail-2002');
    // The presenter wanders off in the simulation...
    await frame().evaluate(() => (document.querySelector('ops-player') as unknown as { seekTo(t: number): void }).seekTo(30));
    await frame().waitForFunction(() => new URL(location.href).searchParams.get('t') === '30');

    await frame().locator('svg.chart').first().click();
    await w.page.keyboard.press('ArrowRight');
    await w.page.waitForFunction(() => location.hash === '#/2');
    // ...and coming back onto the slide, whose fragment is shown, finds its start with that fragment replayed.
    await w.page.keyboard.press('ArrowLeft');
    await w.page.waitForFunction(() => location.hash.startsWith('#/1'));
    await frame().waitForFunction(() => {
      const q = new URL(location.href).searchParams;
      return q.get('scenario') === 'fastmail-2002' && q.get('t') === '0';
    });
    expect(w.errors).toEqual([]);
    await w.context.close();
    deckServer.close();
  });
});
