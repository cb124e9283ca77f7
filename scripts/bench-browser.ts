/**
 * How long a reader waits, in Chromium, between changing a parameter of an
 * article's figure and seeing its charts redrawn: per lesson, the median over
 * several changes, beside the time the same runs take in Node.
 *
 * Two clocks per change, both started in the page when the control's change
 * event is dispatched. The first stops when the figure first draws a new trace
 * (its data-trace-hash changes): a run in the worker arrives in two parts
 * (site/player/progressive.ts), and this is its first part, up to a tenth of
 * the run or the figure's cursor. The second stops when the figure draws the
 * whole run (its data-computed-to reaches the end of the run). The player sets
 * both attributes in the same synchronous draw that redraws every panel
 * (site/player/render.ts). Every change leads to a
 * state the page has not run before, since the runner keeps recent traces and
 * a revisited state would come from that memory instead of a run. The first
 * changes are not timed: they wait for the worker, which starts on the
 * reader's first interaction.
 *
 * Then the figure's first slider is dragged: DRAG_POSITIONS positions, one
 * every DRAG_EVERY_MS (a pointer's pace, a frame apart), to states not run
 * before, and let go. Counted: the runs drawn while it moved (a first part or
 * a whole run each), the longest time nothing new was drawn, and the time from
 * letting go to the whole run drawn.
 */
import type { AddressInfo } from 'node:net';
import { decodeState, type ParamSpec, type ParamValue } from '../sim/core/index.ts';
import { simulations } from '../sim/index.ts';
import { serveStatic } from './static-server.ts';

/** The browser tests' flags (test/browser/chromium.ts): headless, no GPU, nothing fetched in the background. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

const TIMED_CHANGES = 7;
/** At most this many changes wait for the worker before timing starts anyway. */
const MAX_UNTIMED_CHANGES = 6;
/** Values tried per number control, from its start upward (then below it once the top is reached). */
const NUMBER_VALUES = 16;

const DRAG_POSITIONS = 30;
const DRAG_EVERY_MS = 16;
/** Slider positions (of 1000) between a drag's steps, and how far past the last state timed it starts. */
const DRAG_STRIDE = 10;
const DRAG_OFFSET = 100;

interface FigureInfo {
  id: string;
  sim: string;
  state: string;
  keys: string[];
}

/** The values a control may take, its starting value first; a text field gives only its start (any other text is a guess). */
function valuesOf(spec: ParamSpec, start: ParamValue): ParamValue[] {
  if (spec.kind === 'choice') return [start, ...spec.options.map((o) => o.value).filter((v) => v !== start)];
  if (spec.kind === 'text') return [start];
  const values = [start];
  const decimals = Math.max(0, -Math.floor(Math.log10(spec.step)));
  const on = (v: number) => Number(v.toFixed(decimals));
  for (let v = on(Number(start) + spec.step); v <= spec.max && values.length < NUMBER_VALUES; v = on(v + spec.step)) values.push(v);
  for (let v = on(Number(start) - spec.step); v >= spec.min && values.length < NUMBER_VALUES; v = on(v - spec.step)) values.push(v);
  return values;
}

/**
 * A walk over every combination of the controls' values in which each step changes one control
 * (the first sweeps back and forth, the next moves one value at each turn): every state is new.
 */
function walk(controls: { key: string; values: ParamValue[] }[]): { key: string; value: ParamValue }[] {
  const steps: { key: string; value: ParamValue }[] = [];
  const at = controls.map(() => 0);
  const direction = controls.map(() => 1);
  for (;;) {
    let c = 0;
    while (c < controls.length) {
      const next = at[c]! + direction[c]!;
      if (next >= 0 && next < controls[c]!.values.length) {
        at[c] = next;
        steps.push({ key: controls[c]!.key, value: controls[c]!.values[next]! });
        break;
      }
      direction[c] = -direction[c]!;
      c++;
    }
    if (c === controls.length) return steps;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function nodeRunMs(simId: string, params: Record<string, ParamValue>, seed: number): number {
  const sim = simulations[simId]!;
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    sim.run(params as never, seed);
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * In the page: sets a control, dispatches its change, and resolves with the milliseconds until the
 * figure draws a new trace (`firstMs`: the run's first part, or the whole run when it came in one)
 * and until it draws the whole run (`wholeMs`); null if nothing new is drawn within 20 s (a state
 * whose run gives the same trace).
 */
function changeAndTime({ selector, key, value }: { selector: string; key: string; value: ParamValue }): Promise<{ firstMs: number; wholeMs: number; inParts: boolean; ranIn: string } | null> {
  const fig = document.querySelector<HTMLElement>(selector)!;
  const input = fig.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-param-input="${key}"]`)!;
  const timeline = fig.querySelector<HTMLInputElement>('[data-role=timeline]')!;
  const before = fig.dataset.traceHash;
  return new Promise((resolve) => {
    let startMs = 0;
    let firstMs = -1;
    let inParts = false;
    const observer = new MutationObserver(() => {
      if (fig.dataset.traceHash === before) return;
      const nowMs = performance.now() - startMs;
      // The whole run is computed to its end, which is also the timeline's end.
      const whole = fig.dataset.computedTo === timeline.max;
      if (firstMs < 0) {
        firstMs = nowMs;
        inParts = !whole;
      }
      if (!whole) return;
      observer.disconnect();
      resolve({ firstMs, wholeMs: nowMs, inParts, ranIn: fig.dataset.ranIn ?? '' });
    });
    observer.observe(fig, { attributes: true, attributeFilter: ['data-trace-hash', 'data-computed-to'] });
    setTimeout(() => {
      observer.disconnect();
      resolve(null);
    }, 20_000);
    input.value = String(value);
    startMs = performance.now();
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

/**
 * In the page: drags a slider through `positions` (one `input` event each, `everyMs` apart), lets go
 * (`change`), and resolves once the whole run of the last position is drawn: what reached the screen.
 */
function dragAndCount({ selector, key, positions, everyMs }: { selector: string; key: string; positions: number[]; everyMs: number }): Promise<{ runsDrawn: number; longestGapMs: number; wholeAfterReleaseMs: number } | null> {
  const fig = document.querySelector<HTMLElement>(selector)!;
  const slider = fig.querySelector<HTMLInputElement>(`[data-param-slider="${key}"]`)!;
  const timeline = fig.querySelector<HTMLInputElement>('[data-role=timeline]')!;
  const drawnAtMs: number[] = [];
  let releasedAtMs = Infinity;
  const startMs = performance.now();
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const nowMs = performance.now() - startMs;
      if (nowMs <= releasedAtMs) drawnAtMs.push(nowMs);
      // The whole run of the last position: drawn after the release, computed to the end.
      else if (fig.dataset.computedTo === timeline.max && fig.dataset.busy !== 'true') {
        observer.disconnect();
        const gaps = drawnAtMs.map((t, i) => t - (i === 0 ? 0 : drawnAtMs[i - 1]!));
        gaps.push(releasedAtMs - (drawnAtMs.at(-1) ?? 0));
        resolve({ runsDrawn: drawnAtMs.length, longestGapMs: Math.max(...gaps), wholeAfterReleaseMs: nowMs - releasedAtMs });
      }
    });
    observer.observe(fig, { attributes: true, attributeFilter: ['data-trace-hash'] });
    setTimeout(() => {
      observer.disconnect();
      resolve(null);
    }, 20_000);
    let step = 0;
    const timer = setInterval(() => {
      slider.value = String(positions[step++]);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      if (step < positions.length) return;
      clearInterval(timer);
      releasedAtMs = performance.now() - startMs;
      slider.dispatchEvent(new Event('change', { bubbles: true }));
    }, everyMs);
  });
}

/** Positions for a drag from `from` (of 1000), past the states already run: upward, or downward when that runs out of room. */
function dragPositions(from: number): number[] {
  const up = from + DRAG_OFFSET + DRAG_STRIDE * DRAG_POSITIONS <= 1000;
  return Array.from({ length: DRAG_POSITIONS }, (_, i) => from + (up ? 1 : -1) * (DRAG_OFFSET + DRAG_STRIDE * (i + 1)));
}

/** A drag of a figure's slider from where it stands, timed in the page (dragAndCount). */
async function dragSlider(page: import('playwright-core').Page, selector: string, key: string) {
  const from = Number(await page.locator(`${selector} [data-param-slider="${key}"]`).inputValue());
  const positions = dragPositions(from).filter((p) => p >= 0 && p <= 1000);
  const seen = await page.evaluate(dragAndCount, { selector, key, positions, everyMs: DRAG_EVERY_MS });
  const what = { control: key, positions: positions.length, everyMs: DRAG_EVERY_MS };
  if (seen === null) return { ...what, error: 'the whole run of the last position was not drawn within 20 s' };
  return {
    ...what,
    runsDrawn: seen.runsDrawn,
    longestGapMs: Number(seen.longestGapMs.toFixed(1)),
    wholeAfterReleaseMs: Number(seen.wholeAfterReleaseMs.toFixed(1)),
  };
}

/** One lesson's article: the first figure whose controls give enough new states (else the one giving most), timed. */
async function timeLesson(page: import('playwright-core').Page, siteUrl: string, lesson: string) {
  await page.goto(`${siteUrl}articles/${lesson}/`, { waitUntil: 'load' });
  const figures: FigureInfo[] = await page.$$eval('ops-player[data-figure]', (els) =>
    els.map((el) => ({
      id: el.id,
      sim: (el as HTMLElement).dataset.sim ?? '',
      state: (el as HTMLElement).dataset.state ?? '',
      keys: [...el.querySelectorAll<HTMLElement>('[data-param-input]')].map((i) => i.dataset.paramInput!),
    })),
  );
  const planned = figures
    .filter((f) => f.keys.length > 0 && simulations[f.sim])
    .map((f) => {
      const sim = simulations[f.sim]!;
      const { state } = decodeState(sim, f.state);
      const controls = f.keys.map((key) => ({ key, values: valuesOf(sim.params[key]!, state.params[key]!) }));
      return { figure: f, state, steps: walk(controls) };
    });
  const needed = TIMED_CHANGES + MAX_UNTIMED_CHANGES;
  const chosen = planned.find((p) => p.steps.length >= needed) ?? [...planned].sort((a, b) => b.steps.length - a.steps.length)[0];
  if (!chosen || chosen.steps.length === 0) return { lesson, skipped: 'no figure with a number or choice control' };

  const { figure, state } = chosen;
  const sim = simulations[figure.sim]!;
  const selector = `#${figure.id}`;
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.waitForSelector(`${selector}[data-ready=true]`, { timeout: 30_000 });
  // Focus starts the simulation worker, as a reader's first touch does.
  await page.locator(`${selector} [data-param-input="${figure.keys[0]}"]`).focus();

  const params: Record<string, ParamValue> = { ...state.params };
  const updateMs: number[] = [];
  const firstMs: number[] = [];
  let inParts = 0;
  const nodeMs: number[] = [];
  const ranIn = new Set<string>();
  let unchanged = 0;
  let warming = true;
  let untimed = 0;
  for (const step of chosen.steps) {
    if (updateMs.length === TIMED_CHANGES) break;
    params[step.key] = step.value;
    const result = await page.evaluate(changeAndTime, { selector, key: step.key, value: step.value });
    if (result === null) {
      unchanged++;
      continue;
    }
    // Until the worker answers, runs happen in the page; those changes only wait for it.
    if (warming && result.ranIn !== 'worker' && untimed < MAX_UNTIMED_CHANGES && chosen.steps.length - untimed > TIMED_CHANGES) {
      untimed++;
      await page.waitForTimeout(1_000);
      continue;
    }
    warming = false;
    updateMs.push(result.wholeMs);
    firstMs.push(result.firstMs);
    if (result.inParts) inParts++;
    ranIn.add(result.ranIn);
    nodeMs.push(nodeRunMs(figure.sim, params, state.seed));
  }
  const sliderKey = figure.keys.find((key) => sim.params[key]?.kind === 'number');
  const drag = sliderKey === undefined ? null : await dragSlider(page, selector, sliderKey);
  return {
    lesson,
    figure: figure.id.replace(/^fig-/, ''),
    scenario: state.scenario,
    controls: figure.keys,
    timedChanges: updateMs.length,
    ...(unchanged > 0 ? { changesThatLeftTheTraceAlone: unchanged } : {}),
    ranIn: [...ranIn].join(', '),
    /** Change to the first new drawing: the run's first part when it came in two. */
    medianFirstDrawnMs: firstMs.length ? Number(median(firstMs).toFixed(1)) : null,
    /** Change to the whole run drawn. */
    medianUpdateMs: updateMs.length ? Number(median(updateMs).toFixed(1)) : null,
    maxUpdateMs: updateMs.length ? Number(Math.max(...updateMs).toFixed(1)) : null,
    changesDrawnInTwoParts: inParts,
    medianNodeRunMs: nodeMs.length ? Number(median(nodeMs).toFixed(2)) : null,
    /** A drag of the figure's first slider: runs drawn while it moved, the longest wait for one, and letting go to the whole run. */
    drag,
  };
}

/** Every lesson's figure update, timed in Chromium against the built site in `dist`. */
export async function figureUpdateTimes(dist: string, lessons: readonly string[]) {
  const server = serveStatic(dist, '/');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const browser = await launchChromium();
  const rows = [];
  try {
    for (const lesson of lessons) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      try {
        rows.push(await timeLesson(await context.newPage(), `http://127.0.0.1:${port}/`, lesson));
      } catch (error) {
        rows.push({ lesson, error: (error as Error).message.split('\n')[0] });
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return rows;
}
