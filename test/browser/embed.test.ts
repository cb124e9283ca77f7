/**
 * Embeds for trainers, in real Chromium: every simulation inside an iframe at
 * slide sizes, the postMessage protocol (each command, and garbage that must
 * change nothing), figure exports and oEmbed. The decks are deck.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { site } from './built-site.ts';
import type { Frame, Page } from 'playwright-core';
import { scenarioState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { synQueue } from '../../sim/syn-queue/index.ts';
import { firstFigureShow } from '../../site/embed/default-panels.ts';
import { readShow } from '../../site/player/show-tokens.ts';
import { openPage, seriousAxeViolations, useBrowser } from './chromium.ts';

const SHOTS = 'test/output/screenshots';
const browser = useBrowser();

type Message = { protocol?: string; type?: string; [key: string]: unknown };

/** A parent page (on the site's origin, as a deck would be) holding one embed, recording every message it gets. */
async function host(query: string, width = 1280, height = 720, simId = 'syn-queue', reducedMotion: 'reduce' | 'no-preference' = 'no-preference') {
  const w = await openPage(browser(), site, { width, height, reducedMotion });
  await w.page.goto(`${site}about/`);
  await w.page.evaluate(
    ({ src, width, height }) => {
      (window as unknown as { inbox: unknown[] }).inbox = [];
      window.addEventListener('message', (e) => (window as unknown as { inbox: unknown[] }).inbox.push(e.data));
      // Styled through the DOM, not a style attribute: the host borrows a page of the site, whose policy refuses inline styles.
      document.body.innerHTML = `<iframe id="sim" src="${src}" width="${width}" height="${height}"></iframe>`;
      document.getElementById('sim')!.style.cssText = 'border:0;display:block';
      document.body.style.margin = '0';
    },
    { src: `${site}embed/${simId}/?${query}`, width, height },
  );
  await waitFor(w.page, (m) => m.type === 'ready');
  const frame = w.page.frames().find((f) => f.url().includes('/embed/')) as Frame;
  return { ...w, frame };
}

async function inbox(page: Page): Promise<Message[]> {
  return page.evaluate(() => (window as unknown as { inbox: Message[] }).inbox);
}

/** Waits for a message from the embed matching `pick`, after `since` messages. */
async function waitFor(page: Page, pick: (m: Message) => boolean, since = 0, timeoutMs = 10_000): Promise<Message> {
  const start = Date.now();
  for (;;) {
    const found = (await inbox(page)).slice(since).find((m) => m?.protocol === 'opslab-embed' && pick(m));
    if (found) return found;
    if (Date.now() - start > timeoutMs) throw new Error(`no matching message; got ${JSON.stringify((await inbox(page)).slice(since)).slice(0, 500)}`);
    await page.waitForTimeout(50);
  }
}

async function send(page: Page, command: object, raw = false): Promise<number> {
  const since = (await inbox(page)).length;
  await page.evaluate(
    ({ command, raw }) => {
      const frame = document.querySelector<HTMLIFrameElement>('#sim')!.contentWindow!;
      frame.postMessage(raw ? command : { protocol: 'opslab-embed', version: 1, ...command }, '*');
    },
    { command, raw },
  );
  return since;
}

describe('embeds', () => {
  test.each(Object.keys(simulations).flatMap((id) => [[id, 360, 640], [id, 960, 540], [id, 1280, 720]] as const))(
    '%s renders inside an iframe at %ix%i with no console error',
    async (id, width, height) => {
      const scenario = simulations[id]!.scenarios[1] ?? simulations[id]!.scenarios[0]!;
      const mid = Math.round(simulations[id]!.durationSec(scenarioState(simulations[id]!, scenario.id).params) / 2);
      const w = await host(`scenario=${scenario.id}&t=${mid}&theme=projector&controls=minimal`, width, height, id);
      expect(w.errors).toEqual([]);
      expect(w.outside).toEqual([]);
      // It fills the frame: nothing scrolls, and the charts are drawn at the frame's size.
      const fits = await w.frame.evaluate(() => ({
        overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        // The page hides overflow, so also ask whether the player itself sticks out of the frame.
        playerOverflowX: document.querySelector('ops-player')!.getBoundingClientRect().right - document.documentElement.clientWidth,
        overflowY: document.documentElement.scrollHeight - document.documentElement.clientHeight,
        charts: document.querySelectorAll('svg.chart').length,
      }));
      expect(fits.overflowX).toBeLessThanOrEqual(0);
      expect(fits.playerOverflowX).toBeLessThanOrEqual(0);
      expect(fits.overflowY).toBeLessThanOrEqual(0);
      // With no panels= it shows the panels of its article's first figure: the picture and that figure's chart.
      const shown = readShow(simulations[id]!, firstFigureShow(readFileSync(`content/articles/${id}.mdx`, 'utf8')));
      expect(fits.charts).toBe('charts' in shown ? shown.charts.length : NaN);
      await w.page.screenshot({ path: `${SHOTS}/embed-${id}-${width}x${height}.png` });
      await w.context.close();
    },
  );

  test('controls=none hides every control; controls=full shows the scenario picker; theme=dark applies', async () => {
    const none = await host('controls=none&theme=dark');
    expect(await none.frame.locator('.transport').isVisible()).toBe(false);
    expect(await none.frame.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await none.context.close();
    const full = await host('controls=full');
    expect(await full.frame.locator('[data-role=scenario]').isVisible()).toBe(true);
    expect(await full.frame.locator('details.params').getAttribute('open')).toBeNull();
    await full.context.close();
  });

  test('autoplay plays on load, from the t the link gives', async () => {
    const w = await host('scenario=busy-hour&t=5&autoplay=1');
    const playing = await waitFor(w.page, (m) => m.type === 'state' && m.playing === true);
    expect(playing.t as number).toBeGreaterThanOrEqual(5);
    await w.context.close();
  });

  test('under reduced motion autoplay is refused with an event and a visible note; speed= takes the nearest offered speed and says so', async () => {
    const w = await host('scenario=busy-hour&autoplay=1&speed=7', 1280, 720, 'syn-queue', 'reduce');
    const refused = await waitFor(w.page, (m) => m.type === 'autoplay-refused');
    expect(refused).toMatchObject({ simId: 'syn-queue', reason: 'reduced-motion' });
    const notice = (await w.frame.locator('[data-role=notice]').textContent()) ?? '';
    expect(notice).toContain('reduced motion');
    // 7 is not offered: 5 is nearer than 10 on a ratio scale.
    expect(notice).toContain('speed 7');
    expect(await w.frame.locator('[data-role=speed]').inputValue()).toBe('5');
    expect(await w.frame.locator('ops-player').getAttribute('data-playing')).not.toBe('true');
    expect(w.errors).toEqual([]);
    await w.context.close();
  });
});

describe('the postMessage protocol', () => {
  test('ready announces the simulation; every command produces the expected state', async () => {
    const w = await host('scenario=busy-hour');
    const ready = await waitFor(w.page, (m) => m.type === 'ready');
    expect(ready.simId).toBe('syn-queue');
    expect((ready.scenarios as { id: string }[]).map((s) => s.id)).toEqual(synQueue.scenarios.map((s) => s.id));
    expect(Object.keys(ready.params as object)).toEqual(Object.keys(synQueue.params));

    let since = await send(w.page, { type: 'setScenario', scenario: 'slow-app' });
    let state = await waitFor(w.page, (m) => m.type === 'state' && m.scenario === 'slow-app', since);
    const slow = scenarioState(synQueue, 'slow-app');
    expect(state.hash).toBe(synQueue.run(slow.params, slow.seed).hash);
    expect(state.t).toBe(0);

    since = await send(w.page, { type: 'setParams', params: { acceptPerSec: 150, backlog: 99999 } });
    // The reply to the command carries the notes (change events in between carry none).
    state = await waitFor(w.page, (m) => m.type === 'state' && (m.params as Record<string, number>).acceptPerSec === 150 && (m.notes as string[]).length > 0, since);
    expect((state.params as Record<string, number>).backlog).toBe((synQueue.params.backlog as { max: number }).max);
    expect((state.notes as string[]).join(' ')).toContain('backlog');
    expect(state.hash).toBe(synQueue.run(state.params as typeof slow.params, slow.seed).hash);

    since = await send(w.page, { type: 'seek', t: 42 });
    state = await waitFor(w.page, (m) => m.type === 'state' && m.t === 42, since);
    since = await send(w.page, { type: 'step', seconds: -2 });
    state = await waitFor(w.page, (m) => m.type === 'state' && m.t === 40, since);
    since = await send(w.page, { type: 'step' });
    state = await waitFor(w.page, (m) => m.type === 'state' && m.t === 41, since);

    since = await send(w.page, { type: 'play', until: 45 });
    await waitFor(w.page, (m) => m.type === 'state' && m.playing === true, since);
    state = await waitFor(w.page, (m) => m.type === 'state' && m.playing === false && m.t === 45, since);

    since = await send(w.page, { type: 'seek', t: 88 });
    await waitFor(w.page, (m) => m.type === 'state' && m.t === 88, since);
    since = await send(w.page, { type: 'play' });
    const ended = await waitFor(w.page, (m) => m.type === 'ended', since);
    expect(ended.t).toBe(90);

    since = await send(w.page, { type: 'play' });
    await waitFor(w.page, (m) => m.type === 'state' && m.playing === true, since);
    since = await send(w.page, { type: 'pause' });
    await waitFor(w.page, (m) => m.type === 'state' && m.playing === false, since);

    // A slow machine (a workshop laptop, a loaded CI runner): runs take longer than the state throttle.
    const cdp = await w.context.newCDPSession(w.page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
    since = await send(w.page, { type: 'reset' });
    state = await waitFor(w.page, (m) => m.type === 'state' && m.t === 0 && (m.params as Record<string, number>).acceptPerSec === slow.params.acceptPerSec, since);
    expect(state.hash).toBe(synQueue.run(slow.params, slow.seed).hash);

    since = await send(w.page, { type: 'getState' });
    await waitFor(w.page, (m) => m.type === 'state', since);
    // Every state sent, including those sent while a run was in flight, describes one consistent
    // view: its hash is the hash of its own parameters and seed.
    const states = (await inbox(w.page)).filter((m) => m?.protocol === 'opslab-embed' && m.type === 'state');
    const hashes = new Map<string, string>();
    for (const m of states) {
      const key = JSON.stringify([m.params, m.seed]);
      if (!hashes.has(key)) hashes.set(key, synQueue.run(m.params as typeof slow.params, m.seed as number).hash);
      expect(m.hash, key).toBe(hashes.get(key));
    }
    expect(states.length).toBeGreaterThan(10);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('garbage messages change nothing, throw nothing, and each one addressed to the embed gets one warning', async () => {
    const w = await host('scenario=fastmail-2002&t=100');
    const warnings: string[] = [];
    w.page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    const before = await send(w.page, { type: 'getState' });
    const reference = await waitFor(w.page, (m) => m.type === 'state', before);
    const garbage: unknown[] = [
      'play',
      null,
      42,
      [1, 2, 3],
      { type: 'play' },
      { protocol: 'other', version: 1, type: 'play' },
      { protocol: 'opslab-embed', version: 2, type: 'play' },
      { protocol: 'opslab-embed', version: 1, type: 'explode' },
      { protocol: 'opslab-embed', version: 1, type: 'seek', t: 'soon' },
      { protocol: 'opslab-embed', version: 1, type: 'setParams', params: 'all' },
      { protocol: 'opslab-embed', version: 1, type: 'setParams', params: { backlog: { nested: true } } },
      { protocol: 'opslab-embed', version: 1, type: 'play', until: 'later' },
      { protocol: 'opslab-embed', version: 1, type: 'setScenario', scenario: 7 },
    ];
    for (const g of garbage) await send(w.page, g as object, true);
    await w.page.waitForTimeout(400);
    const after = await send(w.page, { type: 'getState' });
    const state = await waitFor(w.page, (m) => m.type === 'state', after);
    expect({ ...state, notes: [] }).toEqual({ ...reference, notes: [] });
    expect(w.errors).toEqual([]);
    // Seven of the messages claim the protocol; the others are not addressed to the embed and pass silently.
    expect(warnings.filter((t) => t.includes('Opslab embed'))).toHaveLength(7);
    await w.context.close();
  });

  test('commands sent after the embed page loads but before ready wait, then run in the order sent', async () => {
    const w = await openPage(browser(), site, { width: 1280, height: 720 });
    await w.page.goto(`${site}about/`);
    const readyWhenSent = await w.page.evaluate(async (src) => {
      const win = window as unknown as { inbox: unknown[] };
      win.inbox = [];
      window.addEventListener('message', (e) => win.inbox.push(e.data));
      document.body.innerHTML = `<iframe id="sim" src="${src}" width="960" height="540"></iframe>`;
      const frame = document.getElementById('sim') as HTMLIFrameElement;
      // The embed listens from the moment its script has defined its player, long before its first run is ready.
      while (!(frame.contentWindow as (Window & typeof globalThis) | null)?.customElements?.get('ops-player')) await new Promise((r) => setTimeout(r, 0));
      const player = frame.contentDocument!.querySelector<HTMLElement>('ops-player')!;
      const send = (command: object) => frame.contentWindow!.postMessage({ protocol: 'opslab-embed', version: 1, ...command }, '*');
      const wasReady = player.dataset.ready === 'true';
      send({ type: 'setScenario', scenario: 'fastmail-2002' });
      send({ type: 'seek', t: 42 });
      send({ type: 'setSpeed', speed: 30 });
      return wasReady;
    }, `${site}embed/syn-queue/?scenario=busy-hour`);
    expect(readyWhenSent, 'the commands went before ready').toBe(false);
    // In the order sent: the scenario switch puts the cursor at 0, so the seek after it shows 42 only if it ran second.
    await waitFor(w.page, (m) => m.type === 'state' && m.scenario === 'fastmail-2002' && m.t === 42);
    const messages = (await inbox(w.page)).filter((m) => m?.protocol === 'opslab-embed');
    expect(messages[0]?.type).toBe('ready');
    const frame = w.page.frames().find((f) => f.url().includes('/embed/'))!;
    await frame.waitForFunction(() => document.querySelector<HTMLSelectElement>('[data-role=speed]')?.value === '30');
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  test('an unknown scenario in setScenario changes nothing and says why', async () => {
    const w = await host('scenario=busy-hour');
    const since = await send(w.page, { type: 'setScenario', scenario: 'nope' });
    const state = await waitFor(w.page, (m) => m.type === 'state', since);
    expect(state.scenario).toBe('busy-hour');
    expect((state.notes as string[]).join(' ')).toContain('unknown scenario');
    await w.context.close();
  });

  test('deck keys go to the simulation only when it has visible keyboard focus; otherwise to the parent', async () => {
    const w = await host('scenario=busy-hour&t=10');
    await w.page.evaluate(() => {
      (window as unknown as { keys: string[] }).keys = [];
      document.addEventListener('keydown', (e) => (window as unknown as { keys: string[] }).keys.push(e.key));
    });
    // A click on a chart: the frame has focus, the simulation's controls do not.
    await w.frame.locator('svg.chart').first().click();
    await w.page.keyboard.press('ArrowRight');
    await w.page.keyboard.press('PageDown');
    expect(await w.page.evaluate(() => (window as unknown as { keys: string[] }).keys)).toEqual(['ArrowRight', 'PageDown']);
    expect(await w.frame.locator('[data-role=clock]').textContent()).toBe('10 s / 60 s');
    // Tab to the timeline: now the keys are the simulation's.
    await w.frame.locator('button[data-act=forward]').focus();
    await w.page.keyboard.press('Tab');
    expect(await w.frame.evaluate(() => document.activeElement?.matches('[data-role=timeline]:focus-visible'))).toBe(true);
    await w.page.keyboard.press('ArrowRight');
    expect(await w.frame.locator('[data-role=clock]').textContent()).toBe('11 s / 60 s');
    expect(await w.page.evaluate(() => (window as unknown as { keys: string[] }).keys)).toHaveLength(2);
    await w.context.close();
  });
});

describe('figures and oEmbed', () => {
  test('Download SVG gives a self-contained figure with the chart’s series; PNG 2× is twice the size and not blank', async () => {
    const w = await openPage(browser(), site, { width: 1280, height: 720 });
    await w.page.goto(`${site}articles/syn-queue/?scenario=fastmail-2002&t=150`);
    await w.page.waitForSelector('ops-player#sim[data-ready=true]');

    // The workbench's chart (the article's figures have their own, from their own states).
    const [svgDownload] = await Promise.all([w.page.waitForEvent('download'), w.page.locator('#sim button[data-export=svg][data-chart=queues]').click()]);
    expect(svgDownload.suggestedFilename()).toBe('syn-queue-fastmail-2002-t150s-queues.svg');
    const svg = readFileSync((await svgDownload.path())!, 'utf8');
    const parsed = await w.page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        paths: [...doc.querySelectorAll('.series path.past')].map((p) => (p.getAttribute('d') ?? '').length),
        title: doc.querySelector('.x-title')?.textContent,
        caption: [...doc.querySelectorAll('.x-caption')].map((t) => t.textContent).join(''),
        externals: [...doc.querySelectorAll('[href], image, use')].length,
      };
    }, svg);
    expect(parsed.error).toBeNull();
    expect(parsed.title).toBe('Queue lengths');
    // The caption is the link that opens this view again: the lesson, its scenario and the moment.
    const link = new URL(parsed.caption.replace(/\s+/g, ''));
    expect(link.pathname).toMatch(/\/articles\/syn-queue\/$/);
    expect([link.searchParams.get('scenario'), link.searchParams.get('t')]).toEqual(['fastmail-2002', '150']);
    expect(parsed.paths).toHaveLength(2);
    for (const length of parsed.paths) expect(length).toBeGreaterThan(100);
    expect(parsed.externals).toBe(0);

    const [pngDownload] = await Promise.all([w.page.waitForEvent('download'), w.page.locator('#sim button[data-export=png][data-chart=queues]').click()]);
    expect(pngDownload.suggestedFilename()).toBe('syn-queue-fastmail-2002-t150s-queues.png');
    const png = readFileSync((await pngDownload.path())!);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1920);
    expect(png.readUInt32BE(20)).toBe(840);
    const inked = await w.page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = Object.assign(document.createElement('canvas'), { width: img.width, height: img.height });
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! < 600) dark++;
      return dark / (data.length / 4);
    }, png.toString('base64'));
    expect(inked).toBeGreaterThan(0.01);
    expect(inked).toBeLessThan(0.5);
    await w.context.close();
  });

  test('Copy embed code gives an iframe that opens this exact view', async () => {
    const w = await openPage(browser(), site, { width: 1280, height: 720 });
    await w.page.goto(`${site}articles/syn-queue/?scenario=slow-app&t=30`);
    await w.page.waitForSelector('ops-player#sim[data-ready=true]');
    await w.page.locator('#sim button[data-act=copy-embed]').click();
    const code = await w.page.locator('#sim [data-role=embed-code]').inputValue();
    const src = /<iframe src="([^"]+)"/.exec(code)![1]!.replace(/&amp;/g, '&');
    expect(src).toContain('/embed/syn-queue/?scenario=slow-app');
    expect(src).toContain('t=30');
    const hash = await w.page.locator('ops-player#sim').getAttribute('data-trace-hash');
    await w.page.goto(src);
    await w.page.waitForSelector('ops-player[data-ready=true]');
    expect(await w.page.locator('ops-player').getAttribute('data-trace-hash')).toBe(hash);
    expect(await w.page.locator('[data-role=clock]').textContent()).toBe('30 s / 90 s');
    await w.context.close();
  });

  test('each embed page links its oEmbed document, which describes an iframe', async () => {
    const w = await openPage(browser(), site);
    for (const id of Object.keys(simulations)) {
      await w.page.goto(`${site}embed/${id}/`);
      const href = await w.page.locator('link[rel=alternate][type="application/json+oembed"]').getAttribute('href');
      const response = await w.page.request.get(new URL(href!, w.page.url()).href);
      const body = await response.json();
      expect(body).toMatchObject({ version: '1.0', type: 'rich', provider_name: 'Opslab', width: 960, height: 540 });
      expect(body.html).toContain(`/embed/${id}/`);
    }
    await w.context.close();
  });

  test.each([['embed', 'embed/syn-queue/?theme=projector'], ['docs', 'docs/embedding/'], ['deck', 'slides/demo/']])(
    'axe finds no serious or critical violation on the %s page',
    async (_name, path) => {
      const w = await openPage(browser(), site);
      await w.page.goto(`${site}${path}`);
      await w.page.waitForTimeout(500);
      expect(await seriousAxeViolations(w.page)).toEqual([]);
      await w.context.close();
    },
  );
});
