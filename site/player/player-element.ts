/**
 * <ops-player data-sim="syn-queue">: brings the server-rendered player to life.
 *
 *   loading ──(simulation module loaded)──> ready ──(play)──> playing
 *                                             ^                  │
 *                                             └──(pause / end)───┘
 *
 * Compute, then play: a parameter change re-runs the whole simulation (pure,
 * deterministic, a few milliseconds) and the playhead is only a cursor over
 * the resulting trace. Everything the reader sees is in the URL, through the
 * one codec in sim/core/url.ts; links in the article ([data-sim-link]) go
 * through the same codec.
 */
import {
  decodeState,
  encodeState,
  clockOf,
  findScenario,
  normalizeParam,
  scenarioState,
  type AnySimulation,
  type NumberParamSpec,
  type SimState,
  type Trace,
} from '../../sim/core/index.ts';
import { simulationLoaders } from '../../sim/loaders.ts';
import { SimRunner } from './runner.ts';
import { cursorX } from '../charts/time-chart.ts';
import { download, figureFileName, standaloneChartSvg, svgToPng } from '../charts/export.ts';
import { decodeEmbedOptions, EMBED_KEYS, type EmbedOptions } from '../embed/protocol.ts';
import { sliderPosition, sliderValue } from './slider.ts';
import * as V from './views.ts';

const CHART_HEIGHT = 170;
const NARROW_PX = 520;

export class OpsPlayer extends HTMLElement {
  private sim!: AnySimulation;
  private state!: SimState;
  private trace!: Trace;
  private map: typeof import('../charts/network-map.ts') | null = null;
  /** The map's moving dot and the path it follows at this step, found once per step, not per frame. */
  private packet: { dot: SVGCircleElement; path: SVGPathElement; length: number } | null = null;
  /**
   * The scenario the trace on screen was run for (its parameters and seed are in the trace): while a
   * newer run is in flight, `state` is already ahead of it.
   */
  private traceScenario = '';
  private cum: V.Cumulative = {};
  private playing = false;
  private speed = 10;
  private frame = 0;
  private lastFrameMs = 0;
  private runner!: SimRunner;
  private runId = 0;
  private chartWidth = 600;
  private lastIndex = -1;
  private lastLogEnd = -1;
  /** The log line the reader picked in the response inspector, or null to follow the newest. */
  private inspectPicked: number | null = null;
  private chartHeight = CHART_HEIGHT;
  private resize?: ResizeObserver;
  /** Set when the player is an embed (/embed/<id>/): how it is shown, from ?theme=&controls=&autoplay. */
  private embedOptions: EmbedOptions | null = null;
  /** Where playback should stop (a deck's "play to 120 s"); null plays to the end. */
  private untilSec: number | null = null;
  /** Resolves once the first trace is on screen: what an embedding page waits for. */
  readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor() {
    super();
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }
  private readonly reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');

  async connectedCallback(): Promise<void> {
    const id = this.dataset.sim ?? '';
    const load = simulationLoaders[id];
    if (!load) {
      this.showNotice([`No simulation called ${id}.`]);
      return;
    }
    this.sim = await load();
    // Only lessons that walk a network draw the map: the others never download its renderer.
    if (this.sim.view.map) this.map = await import('../charts/network-map.ts');
    this.runner = new SimRunner(this.sim);
    const notes: string[] = [];
    if (this.hasAttribute('data-embed')) {
      const decoded = decodeEmbedOptions(window.location.search);
      this.embedOptions = decoded.options;
      notes.push(...decoded.notes);
      if (decoded.options.theme !== 'auto') document.documentElement.dataset.theme = decoded.options.theme;
      this.dataset.controls = decoded.options.controls;
    }
    const decoded = decodeState(this.sim, window.location.search, this.embedOptions ? EMBED_KEYS : []);
    notes.push(...decoded.notes);
    this.state = decoded.state;
    this.speed = Number(this.q<HTMLSelectElement>('[data-role=speed]').value) || clockOf(this.sim).defaultSpeed;
    [this.chartWidth, this.chartHeight] = this.measureChart();
    await this.rerun();
    // Controls come alive only once there is a trace for them to act on.
    for (const el of this.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('[disabled]')) {
      el.disabled = false;
    }
    this.bindControls();
    this.bindArticleLinks();
    // Beside an article on a wide screen the parameters start open; on a phone they would push the article
    // a long way down, and in an embed they would cover the charts.
    if (!this.embedOptions && window.matchMedia('(min-width: 1100px)').matches) this.q<HTMLDetailsElement>('details.params').open = true;
    // The worker is fetched only once the reader shows interest (see runner.ts).
    const warmUp = () => this.runner.warmUp();
    for (const type of ['pointerdown', 'keydown', 'focusin']) this.addEventListener(type, warmUp, { once: true });
    this.resize = new ResizeObserver(() => {
      const [w, h] = this.measureChart();
      if (Math.abs(w - this.chartWidth) >= 8 || Math.abs(h - this.chartHeight) >= 8) {
        this.chartWidth = w;
        this.chartHeight = h;
        this.renderRun();
      }
    });
    this.resize.observe(this.q('[data-role=charts]'));
    this.showNotice(notes.map((n) => `From the link: ${n}.`));
    this.dataset.ready = 'true';
    this.markReady();
    if (this.embedOptions?.autoplay && !this.reducedMotion.matches) this.play();
  }

  disconnectedCallback(): void {
    this.resize?.disconnect();
    cancelAnimationFrame(this.frame);
  }

  // ---- the public API (the embed bridge drives the player through it) -------

  get simulation(): AnySimulation {
    return this.sim;
  }

  /** The run's summary numbers (what lab checks read). */
  summary(): Readonly<Record<string, number>> {
    return this.trace.summary;
  }

  /** What is on screen, as plain data. */
  snapshot(): { t: number; duration: number; playing: boolean; scenario: string; seed: number; params: Record<string, string | number>; hash: string } {
    return {
      t: Math.round(this.state.tSec * 1000) / 1000,
      duration: this.trace.durationMs / 1000,
      playing: this.playing,
      // Scenario, seed and parameters are those of the trace shown, so they always agree with its hash.
      scenario: this.traceScenario,
      seed: this.trace.seed,
      params: { ...this.trace.params },
      hash: this.trace.hash,
    };
  }

  /** Plays from the cursor (from the start if at the end), stopping at `until` seconds if given. */
  playTo(until?: number): void {
    this.runner.warmUp();
    this.untilSec = until === undefined ? null : Math.max(0, until);
    if (this.untilSec !== null && this.state.tSec >= this.untilSec) this.state.tSec = 0;
    this.play();
  }

  stepBy(seconds: number): void {
    this.pause();
    this.seek(seconds >= 0 ? Math.floor(this.state.tSec) + seconds : Math.ceil(this.state.tSec) + seconds);
  }

  seekTo(tSec: number): void {
    this.pause();
    this.seek(tSec);
  }

  /** Switches scenario (parameters, seed, cursor at the start); returns what was not taken as asked. */
  async setScenario(id: string): Promise<string[]> {
    if (!findScenario(this.sim, id)) return [`unknown scenario ${JSON.stringify(id.slice(0, 32))}; valid: ${this.sim.scenarios.map((s) => s.id).join(', ')}`];
    this.pause();
    await this.setState({ ...scenarioState(this.sim, id), tSec: 0 });
    return [];
  }

  /** Changes some parameters through the same validation as the URL; returns what was clamped or ignored. */
  async setParams(partial: Record<string, string | number>): Promise<string[]> {
    const notes: string[] = [];
    const params = { ...this.state.params };
    for (const [key, raw] of Object.entries(partial)) {
      if (!Object.hasOwn(this.sim.params, key)) {
        notes.push(`unknown parameter ${JSON.stringify(key.slice(0, 32))}`);
        continue;
      }
      const result = normalizeParam(key, this.sim.params[key]!, raw, params[key]!);
      params[key] = result.value;
      if (result.problem) notes.push(result.problem);
    }
    await this.setState({ ...this.state, params });
    return notes;
  }

  /** Back to the current scenario's values, cursor at the start. */
  async resetToScenario(): Promise<void> {
    this.pause();
    await this.setState({ ...scenarioState(this.sim, this.state.scenario), tSec: 0 });
  }

  // ---- state changes -------------------------------------------------------

  /** Applies a new state (from a control, a link or the URL) and re-runs. */
  private async setState(next: SimState, opts: { play?: boolean } = {}): Promise<void> {
    this.state = next;
    this.syncControls();
    await this.rerun();
    if (opts.play) this.play(true);
  }

  /**
   * Runs the current state (in the worker) and shows the result. While runs are in flight the old
   * trace stays on screen; a result that a newer request superseded is never shown.
   */
  private async rerun(): Promise<void> {
    this.dataset.busy = 'true';
    const runId = ++this.runId;
    const scenario = this.state.scenario;
    const trace = await this.runner.run(this.state.params, this.state.seed);
    // A newer request was made while this one ran: its result, not this one, belongs on screen.
    if (!trace || runId !== this.runId) return;
    this.dataset.busy = String(this.runner.busy);
    this.dataset.ranIn = this.runner.lastRanIn;
    this.trace = trace;
    this.traceScenario = scenario;
    this.cum = V.cumulate(trace);
    const end = trace.durationMs / 1000;
    if (this.state.tSec > end) this.state.tSec = end;
    this.dataset.traceHash = trace.hash;
    this.syncControls();
    this.renderRun();
    this.updateUrl();
    const budget = trace.truncated && trace.message ? [trace.message] : [];
    if (budget.length > 0) this.showNotice(budget);
  }

  private seek(tSec: number): void {
    const end = this.trace.durationMs / 1000;
    this.state.tSec = Math.min(end, Math.max(0, tSec));
    this.renderCursor();
    if (!this.playing) this.updateUrl();
  }

  private play(fromLink = false): void {
    const end = this.trace.durationMs / 1000;
    if (this.state.tSec >= end && !fromLink) this.state.tSec = 0;
    this.playing = true;
    this.lastFrameMs = performance.now();
    this.syncPlayButton();
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame((now) => this.tick(now));
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.frame);
    this.packet?.dot.setAttribute('visibility', 'hidden');
    this.syncPlayButton();
    this.updateUrl();
  }

  private tick(nowMs: number): void {
    if (!this.playing) return;
    // Capped so a stalled tab resumes where it was, but not so tightly that a slow projector laptop plays in slow motion.
    const dtSec = Math.min(0.25, (nowMs - this.lastFrameMs) / 1000);
    this.lastFrameMs = nowMs;
    const end = this.trace.durationMs / 1000;
    // Playing is the reader's own request, so it runs under reduced motion too; what reduced motion
    // removes is smooth scrolling and decorative transitions (see scrollIntoView and the CSS).
    const stop = this.untilSec === null ? end : Math.min(end, this.untilSec);
    this.state.tSec = Math.min(stop, this.state.tSec + dtSec * this.speed);
    this.renderCursor();
    if (this.state.tSec >= stop) {
      this.untilSec = null;
      this.pause();
      if (this.state.tSec >= end) this.dispatchEvent(new CustomEvent('ops-ended'));
      return;
    }
    this.frame = requestAnimationFrame((t) => this.tick(t));
  }

  // ---- controls ------------------------------------------------------------

  private bindControls(): void {
    this.q<HTMLSelectElement>('[data-role=scenario]').addEventListener('change', (e) => {
      const id = (e.target as HTMLSelectElement).value;
      this.pause();
      void this.setState(scenarioState(this.sim, id));
      this.showNotice([]);
    });
    this.querySelector<HTMLSelectElement>('[data-role=inspect-pick]')?.addEventListener('change', (e) => {
      const value = (e.target as HTMLSelectElement).value;
      this.inspectPicked = value === '' ? null : Number(value);
      this.q('[data-role=inspect-detail]').innerHTML = V.renderInspectorDetail(this.trace, this.inspectPicked ?? -1);
    });
    this.q<HTMLSelectElement>('[data-role=speed]').addEventListener('change', (e) => {
      this.speed = Number((e.target as HTMLSelectElement).value) || 1;
    });
    this.q<HTMLInputElement>('[data-role=timeline]').addEventListener('input', (e) => {
      this.seek(Number((e.target as HTMLInputElement).value));
    });
    this.addEventListener('click', (e) => {
      const exporter = (e.target as Element).closest<HTMLButtonElement>('button[data-export]');
      if (exporter) void this.exportChart(exporter.dataset.chart ?? '', exporter.dataset.export === 'png' ? 'png' : 'svg');
      const button = (e.target as Element).closest<HTMLButtonElement>('button[data-act]');
      if (!button || !this.contains(button)) return;
      this.act(button.dataset.act ?? '');
    });
    this.addEventListener('keydown', (e) => this.onKey(e));

    for (const slider of this.querySelectorAll<HTMLInputElement>('[data-param-slider]')) {
      const key = slider.dataset.paramSlider!;
      const spec = this.sim.params[key] as NumberParamSpec;
      slider.addEventListener('input', () => this.setParam(key, sliderValue(spec, Number(slider.value))));
    }
    for (const input of this.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-param-input]')) {
      const key = input.dataset.paramInput!;
      input.addEventListener('change', () => this.setParam(key, input.value));
    }
    const seed = this.q<HTMLInputElement>('[data-role=seed]');
    seed.addEventListener('change', () => {
      const n = Number(seed.value);
      if (Number.isInteger(n) && n >= 0 && n <= 4294967295) {
        this.state.seed = n;
        void this.rerun();
        this.showNotice([]);
      } else {
        this.showNotice([`The seed must be a whole number from 0 to 4294967295; keeping ${this.state.seed}.`]);
        seed.value = String(this.state.seed);
      }
    });
  }

  /** The cursor moved by whole clock steps, landing on the step grid (0:15, 0:30... for a 15-minute step). */
  private stepped(steps: number): number {
    const step = clockOf(this.sim).stepSec;
    const t = this.state.tSec / step;
    // A hair of slack so a cursor already on the grid (within float error) moves by exactly one step.
    return (steps > 0 ? Math.floor(t + 1e-9) + steps : Math.ceil(t - 1e-9) + steps) * step;
  }

  private act(action: string): void {
    switch (action) {
      case 'play':
        this.untilSec = null;
        if (this.playing) this.pause();
        else this.play();
        break;
      case 'start':
        this.pause();
        this.seek(0);
        break;
      case 'back':
        this.pause();
        this.seek(this.stepped(-1));
        break;
      case 'forward':
        this.pause();
        this.seek(this.stepped(1));
        break;
      case 'new-seed':
        this.state.seed = (this.state.seed + 1) >>> 0;
        void this.rerun();
        break;
      case 'copy-link':
        void this.copyText(this.q<HTMLInputElement>('[data-role=link]'), this.link(), 'Link copied.');
        break;
      case 'copy-embed':
        void this.copyText(this.q<HTMLTextAreaElement>('[data-role=embed-code]'), this.embedCode(), 'Embed code copied: paste it into a slide or a page.');
        break;
      case 'reset-params': {
        // Back to the scenario's parameters and seed; the cursor stays where the reader left it.
        const tSec = this.state.tSec;
        void this.setState({ ...scenarioState(this.sim, this.state.scenario), tSec });
        this.showNotice([]);
        break;
      }
    }
  }

  private onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    const isTimeline = target.matches('[data-role=timeline]');
    // Form controls keep their own keys (a slider's arrows, a select's letters, a button's space).
    const ownsKeys = target.matches('input, select, textarea, button, summary, a') && !isTimeline;
    if (ownsKeys || e.altKey || e.ctrlKey || e.metaKey) return;
    const steps = e.shiftKey ? 10 : 1;
    switch (e.key) {
      case ' ':
        e.preventDefault();
        this.act('play');
        break;
      case 'ArrowLeft':
        if (isTimeline) return;
        e.preventDefault();
        this.pause();
        this.seek(this.stepped(-steps));
        break;
      case 'ArrowRight':
        if (isTimeline) return;
        e.preventDefault();
        this.pause();
        this.seek(this.stepped(steps));
        break;
      case 'Home':
        if (isTimeline) return;
        e.preventDefault();
        this.pause();
        this.seek(0);
        break;
      case 'End':
        if (isTimeline) return;
        e.preventDefault();
        this.pause();
        this.seek(this.trace.durationMs / 1000);
        break;
    }
  }

  private setParam(key: string, raw: string | number): void {
    const spec = this.sim.params[key];
    if (!spec) return;
    const result = normalizeParam(key, spec, raw, this.state.params[key]!);
    this.state.params = { ...this.state.params, [key]: result.value };
    if (result.problem) this.showNotice([`${result.problem}.`]);
    void this.rerun();
  }

  /** Article links: `<a data-sim-link href="?scenario=…">` put this player into the linked state. */
  private bindArticleLinks(): void {
    document.addEventListener('click', (e) => {
      const link = (e.target as Element).closest<HTMLAnchorElement>('a[data-sim-link]');
      if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      if ((link.dataset.simLink || this.sim.id) !== this.sim.id) return;
      e.preventDefault();
      this.runner.warmUp();
      const url = new URL(link.href);
      const { state, notes } = decodeState(this.sim, url.search);
      this.pause();
      void this.setState(state, { play: link.hasAttribute('data-play') });
      this.showNotice(notes);
      const rect = this.getBoundingClientRect();
      if (rect.top < 0 || rect.top > window.innerHeight * 0.5) {
        this.scrollIntoView({ behavior: this.reducedMotion.matches ? 'auto' : 'smooth', block: 'start' });
      }
      this.focus({ preventScroll: true });
    });
  }

  private async copyText(field: HTMLInputElement | HTMLTextAreaElement, text: string, done: string): Promise<void> {
    field.value = text;
    try {
      await navigator.clipboard.writeText(text);
      this.showNotice([done]);
    } catch {
      // No clipboard permission (an iframe, plain http): select the text so it can be copied by hand.
      field.focus();
      field.select();
      this.showNotice(['Press Ctrl+C (⌘C) to copy the selected text.']);
    }
  }

  /** The query for this view: the simulation's state, plus an embed's own options when they differ from the defaults. */
  private query(): string {
    const search = new URLSearchParams(encodeState(this.sim, this.state));
    const o = this.embedOptions;
    if (o) {
      if (o.theme !== 'auto') search.set('theme', o.theme);
      if (o.controls !== 'full') search.set('controls', o.controls);
      if (o.autoplay) search.set('autoplay', '1');
    }
    return search.toString();
  }

  private link(): string {
    const url = new URL(window.location.href);
    url.search = this.query();
    url.hash = '';
    return url.toString();
  }

  /** An iframe for a slide or a page, showing this exact view, and a plain link under it. */
  private embedCode(): string {
    const src = new URL(`${import.meta.env.BASE_URL}embed/${this.sim.id}/`, window.location.href);
    src.search = encodeState(this.sim, this.state);
    const title = `Opslab: ${this.sim.title}`;
    const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    return `<iframe src="${attr(src.toString())}" width="960" height="540" title="${attr(title)}" style="border:0" loading="lazy"></iframe>\n<a href="${attr(this.link())}">${title}</a>`;
  }

  private updateUrl(): void {
    const query = `?${this.query()}`;
    if (window.location.search !== query) history.replaceState(history.state, '', query + window.location.hash);
    this.q<HTMLInputElement>('[data-role=link]').value = this.link();
    this.q<HTMLTextAreaElement>('[data-role=embed-code]').value = this.embedCode();
  }

  /** Downloads one chart as a standalone SVG, or as a PNG at twice its size. */
  private async exportChart(chartId: string, format: 'svg' | 'png'): Promise<void> {
    const spec = this.sim.view.charts.find((c) => c.id === chartId);
    if (!spec) return;
    const scenarioTitle = findScenario(this.sim, this.state.scenario)?.title ?? this.state.scenario;
    const size = { width: 960, height: 420 };
    const svg = standaloneChartSvg(this.sim, spec, this.trace, this.state.tSec, scenarioTitle, size);
    const name = figureFileName(this.sim.id, this.state.scenario, this.state.tSec, chartId, format);
    try {
      download(format === 'svg' ? new Blob([svg], { type: 'image/svg+xml' }) : await svgToPng(svg, size, 2), name);
    } catch (error) {
      this.showNotice([`The figure could not be saved: ${(error as Error).message}.`]);
    }
  }

  // ---- rendering -----------------------------------------------------------

  /** Chart size from its box: the width always; the height too in an embed, where the frame decides it. */
  private measureChart(): [number, number] {
    const box = this.querySelector<HTMLElement>('[data-role=chart]');
    const width = Math.max(280, Math.round(box?.clientWidth || 600));
    if (!this.embedOptions) return [width, CHART_HEIGHT];
    // All charts share one size: take the shortest box, since a legend that wraps leaves its chart less room.
    const heights = [...this.querySelectorAll<HTMLElement>('[data-role=chart]')].map((b) => b.clientHeight).filter((h) => h > 0);
    const height = Math.max(110, Math.round(heights.length ? Math.min(...heights) : CHART_HEIGHT));
    return [width, height];
  }

  /** Everything that depends on the trace: charts, tables, diagram. */
  private renderRun(): void {
    const size = { width: this.chartWidth, height: this.chartHeight };
    const figures = this.querySelectorAll<HTMLElement>('[data-chart-id]');
    for (const figure of figures) {
      const spec = this.sim.view.charts.find((c) => c.id === figure.dataset.chartId);
      if (!spec) continue;
      figure.querySelector('[data-role=chart]')!.innerHTML = V.renderChart(this.sim, spec, this.trace, this.state.tSec, size);
      figure.querySelector('[data-role=chart-table]')!.innerHTML = V.renderChartTable(this.sim, spec, this.trace, this.state.tSec);
    }
    const end = this.trace.durationMs / 1000;
    const timeline = this.q<HTMLInputElement>('[data-role=timeline]');
    timeline.max = String(end);
    this.q('[data-role=hash]').textContent = this.trace.hash;
    const note = this.q('[data-role=log-note]');
    note.textContent = V.logNote(this.sim, this.trace);
    this.lastIndex = -1;
    this.lastLogEnd = -1;
    this.inspectPicked = null;
    this.renderCursor();
  }

  /**
   * While the walk plays, a dot travels the step's path on the map: the step at sample i plays out
   * between its start and its end, so the dot leaves with the step and arrives as the next begins.
   */
  private movePacket(tSec: number, index: number): void {
    if (!this.packet) return;
    const { dot, path, length } = this.packet;
    if (!this.playing || this.reducedMotion.matches) {
      dot.setAttribute('visibility', 'hidden');
      return;
    }
    const fraction = Math.min(1, Math.max(0, (tSec * 1000 - index * this.trace.sampleMs) / this.trace.sampleMs));
    const point = path.getPointAtLength(fraction * length);
    dot.setAttribute('cx', point.x.toFixed(1));
    dot.setAttribute('cy', point.y.toFixed(1));
    dot.setAttribute('visibility', 'visible');
  }

  /** Everything that depends on the cursor; cheap enough for every animation frame. */
  private renderCursor(): void {
    const t = this.state.tSec;
    const end = this.trace.durationMs / 1000;
    const clock = clockOf(this.sim);
    const size = { width: this.chartWidth, height: this.chartHeight, durationSec: end / clock.unitSec };
    const x = cursorX(size, t / clock.unitSec).toFixed(1);
    for (const svg of this.querySelectorAll<SVGSVGElement>('svg.chart')) {
      svg.querySelector('.past-clip')?.setAttribute('width', x);
      const cursor = svg.querySelector('.cursor');
      cursor?.setAttribute('x1', x);
      cursor?.setAttribute('x2', x);
    }
    const timeline = this.q<HTMLInputElement>('[data-role=timeline]');
    timeline.value = String(t);
    timeline.setAttribute('aria-valuetext', V.clockText(this.sim, t, end, 'words'));
    this.q('[data-role=clock]').textContent = V.clockText(this.sim, t, end, 'short');

    const index = V.sampleIndex(this.trace, t);
    if (index !== this.lastIndex) {
      this.lastIndex = index;
      this.q('[data-role=outcomes]').innerHTML = V.renderOutcomes(this.sim, this.cum, index);
      this.q('[data-role=counters]').innerHTML = V.renderCounters(this.sim, this.cum, index);
      const vertical = this.clientWidth < NARROW_PX;
      const map = this.querySelector('[data-role=map]');
      if (map && this.map) {
        map.innerHTML = this.map.renderMap(this.sim, this.trace, index, vertical);
        this.q('[data-role=map-text]').innerHTML = this.map.renderMapText(this.trace, index);
        const dot = map.querySelector<SVGCircleElement>('circle.packet');
        const path = map.querySelector<SVGPathElement>('path.current');
        this.packet = dot && path ? { dot, path, length: path.getTotalLength() } : null;
      }
      const diagram = this.querySelector('[data-role=diagram]');
      if (diagram) {
        diagram.innerHTML = V.renderDiagram(this.sim, this.trace, index, vertical);
        this.q('[data-role=diagram-text]').innerHTML = V.renderDiagramText(this.sim, this.trace, index);
      }
    }
    this.movePacket(t, index);
    const logEnd = V.logIndexAfter(this.trace, t);
    if (logEnd !== this.lastLogEnd) {
      this.lastLogEnd = logEnd;
      this.q('[data-role=log]').innerHTML = V.renderLog(this.trace, t);
      this.renderInspector();
    }
    this.dispatchEvent(new CustomEvent('ops-change'));
  }

  /**
   * The response picker offers the latest responses up to the cursor. A pick
   * the reader made stays while it is still offered; otherwise the newest wins,
   * so playing shows each response as it happens.
   */
  private renderInspector(): void {
    const pick = this.querySelector<HTMLSelectElement>('[data-role=inspect-pick]');
    if (!pick) return;
    const lines = V.inspectorLines(this.sim, this.trace, this.state.tSec);
    const chosen = this.inspectPicked !== null && lines.includes(this.inspectPicked) ? this.inspectPicked : (lines.at(-1) ?? -1);
    if (chosen !== this.inspectPicked) this.inspectPicked = null;
    pick.innerHTML = V.renderInspectorOptions(this.trace, lines, chosen);
    this.q('[data-role=inspect-detail]').innerHTML = V.renderInspectorDetail(this.trace, chosen);
  }

  private syncControls(): void {
    const scenario = findScenario(this.sim, this.state.scenario);
    this.q<HTMLSelectElement>('[data-role=scenario]').value = this.state.scenario;
    this.q('[data-role=scenario-summary]').textContent = scenario?.summary ?? '';
    for (const [key, value] of Object.entries(this.state.params)) {
      const spec = this.sim.params[key];
      const input = this.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-param-input="${key}"]`);
      if (input && document.activeElement !== input) input.value = String(value);
      const slider = this.querySelector<HTMLInputElement>(`[data-param-slider="${key}"]`);
      if (slider && spec?.kind === 'number') {
        if (document.activeElement !== slider) slider.value = String(sliderPosition(spec, Number(value)));
        slider.setAttribute('aria-valuetext', `${value}${spec.unit ? ` ${spec.unit}` : ''}`);
      }
    }
    this.q<HTMLInputElement>('[data-role=seed]').value = String(this.state.seed);
  }

  private syncPlayButton(): void {
    const button = this.q<HTMLButtonElement>('button[data-act=play]');
    button.setAttribute('aria-label', this.playing ? 'Pause' : 'Play');
    button.querySelector('[data-icon=play]')!.toggleAttribute('hidden', this.playing);
    button.querySelector('[data-icon=pause]')!.toggleAttribute('hidden', !this.playing);
    this.dataset.playing = String(this.playing);
    this.dispatchEvent(new CustomEvent('ops-change'));
  }

  private showNotice(lines: string[]): void {
    const box = this.q('[data-role=notice]');
    box.replaceChildren(...lines.map((l) => Object.assign(document.createElement('p'), { textContent: l })));
  }

  private q<T extends Element = HTMLElement>(selector: string): T {
    const el = this.querySelector<T>(selector);
    if (!el) throw new Error(`ops-player: missing ${selector}`);
    return el;
  }
}

if (!customElements.get('ops-player')) customElements.define('ops-player', OpsPlayer);
