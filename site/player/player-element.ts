/**
 * <ops-player data-sim="syn-queue">: brings the server-rendered player to life, by wiring:
 * the session (session.ts, an xstate actor: what is asked, what is shown, the cursor, playing),
 * the runner (runner.ts: runs in the page or a worker, each answer naming its request), the view
 * (render.ts and the panels), the controls and keys (controls.ts) and sharing (sharing.ts).
 *
 * Compute, then play: a parameter change re-runs the whole simulation (pure, deterministic, a few
 * milliseconds) and the playhead is only a cursor over the resulting trace. In the worker a run comes
 * in two parts (progressive.ts): the first is drawn at once (its charts as far as it goes, the rest
 * shaded; the cursor's panels if the cursor lies in it), then the whole run. Everything the reader
 * sees is in the URL, through the one codec in sim/core/url.ts.
 *
 * The same element is the workbench (id="sim": every panel, every parameter, the state in the
 * address bar) and an inline figure (data-figure: the state its article names in data-state, a
 * few panels and controls, and nothing written to the address bar). A figure starts only when it
 * comes near the screen or the reader reaches for it, so a long article costs no runs to open.
 */
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import { clampNote, clampTime, clockOf, decodeState, findScenario, type AnySimulation, type Trace } from '../../sim/core/index.ts';
import { simulationLoaders } from '../../sim/loaders.ts';
import { fitEmbedPanels } from '../embed/fit.ts';
import { decodeEmbedOptions, EMBED_KEYS, type EmbedOptions } from '../embed/protocol.ts';
import { need } from '../panels/frame.ts';
import { installArticleLinks } from './article-links.ts';
import { bindControls } from './controls.ts';
import { playerIntents } from './intents.ts';
import { PlayerView } from './render.ts';
import { rememberRun, SimRunner, type RunAnswer } from './runner.ts';
import { scenarioRequest, withParams } from './requests.ts';
import { sameRequest, sessionMachine, type RunRequest } from './session.ts';
import { showView, stateAt, viewQuery } from './sharing.ts';

type Session = SnapshotFrom<typeof sessionMachine>;
/** A wait for a whole run longer than this is said to a screen reader ("computing the rest"); a shorter one says nothing. */
const LONG_WAIT_MS = 1000;
const requestOf = ({ scenario, seed, params }: RunRequest): RunRequest => ({ scenario, seed, params });

export class OpsPlayer extends HTMLElement {
  private sim!: AnySimulation;
  private session!: Actor<typeof sessionMachine>;
  private runner!: SimRunner;
  private view!: PlayerView;
  /** Set when the player is an embed (/embed/<id>/): how it is shown, from ?theme=&controls=&autoplay. */
  private embed: EmbedOptions | null = null;
  private last: Session | null = null;
  private frame = 0;
  private resize?: ResizeObserver;
  /** Resolves once the first trace is on screen: what an embedding page waits for. */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private readonly reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
  /** An inline figure's start, as its article names it; null for the workbench and an embed. */
  private start: { request: RunRequest; tSec: number | null } | null = null;
  /** An embed asked to autoplay and did not, because the reader's system asks for reduced motion. */
  autoplayRefused = false;
  /** Starts a figure that is still waiting to come near the screen. */
  private wake: () => void = () => {};
  /** The first part of the newest run, drawn until the whole run arrives (see progressive.ts). */
  private partial: RunAnswer | null = null;
  private longWait = 0;

  constructor() {
    super();
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  async connectedCallback(): Promise<void> {
    const loadModel = simulationLoaders[this.dataset.sim ?? ''];
    if (!loadModel) return void (need(this, '[data-role=notice]').textContent = `No simulation called ${this.dataset.sim}.`);
    // A run the build recorded in the page spares it the model until a run it did not record. The
    // reader is fetched only where there is one: the other lessons' pages do without its bytes.
    const recorded = this.querySelector('script[data-role=recorded-run]') ? (await import('./recorded-run.ts')).readRecordedRun(this, this.dataset.sim!) : null;
    if (recorded) rememberRun(recorded.sim.id, recorded.trace);
    const sim = (this.sim = recorded?.sim ?? (await loadModel()));
    this.runner = new SimRunner(sim, (state) => (this.dataset.worker = state), recorded ? loadModel : undefined);
    const notes: string[] = [];
    if (this.hasAttribute('data-embed')) {
      const decoded = decodeEmbedOptions(window.location.search);
      this.embed = decoded.options;
      notes.push(...decoded.notes);
      if (decoded.options.theme !== 'auto') document.documentElement.dataset.theme = decoded.options.theme;
      this.dataset.controls = decoded.options.controls;
      const panelsProblem = fitEmbedPanels(this, sim, decoded.options);
      if (panelsProblem) notes.push(panelsProblem);
    }
    const figure = this.dataset.figure !== undefined;
    // A figure reads its state from the page, never from the address bar (that is the workbench's).
    const { state, notes: urlNotes } = figure ? decodeState(sim, this.dataset.state ?? '') : decodeState(sim, window.location.search, this.embed ? EMBED_KEYS : []);
    if (figure) {
      this.start = { request: requestOf(state), tSec: state.tSec };
      await this.nearby();
    }
    this.view = new PlayerView(this, sim, this.embed !== null, this.start?.request ?? null);
    await this.view.mount();
    const clock = clockOf(sim);
    const speed = Number(need<HTMLSelectElement>(this, '[data-role=speed]').value) || clock.defaultSpeed;
    this.session = createActor(sessionMachine, { input: { request: requestOf(state), tSec: state.tSec, speed, stepSec: clock.stepSec } });
    this.session.subscribe((s) => this.show(s));
    this.session.start();
    const clamped = await this.runFor(requestOf(state), state.tSec);
    // Controls come alive only once there is a trace for them to act on.
    for (const el of this.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('[disabled]')) el.disabled = false;
    const runFor = this.runFor.bind(this);
    bindControls(this, sim, playerIntents({ root: this, sim, session: this.session, view: this.view, embed: this.embed, runFor, settle: () => this.runner.settle(), warmUp: () => this.runner.warmUp(), start: this.start }));
    // Beside an article on a wide screen the parameters start open; on a phone they would push the article
    // a long way down, and in an embed they would cover the charts.
    if (!this.embed && !figure && window.matchMedia('(min-width: 1100px)').matches) need<HTMLDetailsElement>(this, 'details.params').open = true;
    // The worker is fetched only once the reader shows interest (see runner.ts).
    for (const type of ['pointerdown', 'keydown', 'focusin']) this.addEventListener(type, () => this.runner.warmUp(), { once: true });
    // The whole player: in a figure the panels' box may be laid out as part of the player's own grid.
    // A run that changes what the panels hold changes the player's height, not its width; only an
    // embed, whose frame sets the charts' height, measures again then (a measure after a run's
    // writes would lay the page out there and then).
    let measuredWidth = -1;
    this.resize = new ResizeObserver(([entry]) => {
      const width = entry!.contentRect.width;
      if (width === measuredWidth && !this.embed) return;
      measuredWidth = width;
      if (this.view.remeasure()) this.redraw(true);
    });
    this.resize.observe(this);
    if (this.embed?.speed) clamped.push(...this.setSpeed(this.embed.speed));
    // Autoplay is refused, and says so, where the reader's system asks for reduced motion (Windows'
    // "animations off" included): the deck that asked hears it as an event (see bridge.ts).
    this.autoplayRefused = Boolean(this.embed?.autoplay && this.reducedMotion.matches);
    const refusal = this.autoplayRefused ? ['This simulation does not start by itself here, as your system asks for reduced motion: press play to start it.'] : [];
    this.view.notice([...[...notes, ...urlNotes, ...clamped].map((n) => `From the link: ${n}.`), ...refusal]);
    this.dataset.ready = 'true';
    this.markReady();
    if (this.embed?.autoplay && !this.autoplayRefused) this.session.send({ type: 'play' });
  }

  disconnectedCallback(): void {
    this.resize?.disconnect();
    cancelAnimationFrame(this.frame);
    this.session?.stop();
  }

  /** Resolves when a figure is within a screen of the viewport, or the reader reaches for it (a key, a tap, focus). */
  private nearby(): Promise<void> {
    return new Promise((resolve) => {
      const go = () => {
        this.wake = () => {};
        observer?.disconnect();
        for (const type of ['pointerdown', 'focusin']) this.removeEventListener(type, go);
        resolve();
      };
      this.wake = go;
      for (const type of ['pointerdown', 'focusin']) this.addEventListener(type, go);
      const observer = typeof IntersectionObserver === 'undefined' ? null : new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && go(), { rootMargin: '100% 0px' });
      if (observer) observer.observe(this);
      else go();
    });
  }

  // ---- the public API (the embed bridge, the labs and the article's links drive the player through it) ----

  /** Whether this is an inline figure rather than the workbench. */
  get isFigure(): boolean {
    return this.start !== null;
  }

  /**
   * Shows a state written by the one URL codec (an article link's query): pauses, runs it, puts the
   * cursor where it says, and plays if asked; notes what was not taken as written.
   */
  async showQuery(query: string, play = false): Promise<void> {
    this.wake();
    await this.ready;
    this.runner.warmUp();
    const { state, notes } = decodeState(this.sim, query);
    this.pause();
    this.view.notice(notes);
    const clamped = await this.runFor(requestOf(state), state.tSec, play);
    if (clamped.length > 0) this.view.notice([...notes, ...clamped]);
  }

  /** The state on screen as a query of the one URL codec (what "open in the workbench" carries). */
  query(): string {
    const s = this.session.getSnapshot();
    // What the reader asked for last, even while its run is on its way: "as it is now" includes the
    // change just made, not only the last run to arrive.
    return viewQuery(this.sim, stateAt(this.asked(), this.shown().trace, s.context.tSec), null);
  }

  /** A figure back at the state its article starts it in (a link leaving it, undone by Back). */
  async backToStart(): Promise<void> {
    if (!this.start) return;
    this.wake();
    await this.ready;
    this.pause();
    await this.runFor(this.start.request, this.start.tSec);
  }

  /** Whether the figure shows the state its article starts it in. */
  atStart(): boolean {
    if (!this.start || !this.session) return true;
    const asked = this.asked();
    return asked.scenario === this.start.request.scenario && asked.seed === this.start.request.seed && JSON.stringify(asked.params) === JSON.stringify(this.start.request.params);
  }


  /** The simulation's description; its `run` may know only the page's recorded run (see recorded-run.ts): run on `model()`. */
  get simulation(): AnySimulation {
    return this.sim;
  }

  /** The simulation with its model, loaded on first use. */
  model(): Promise<AnySimulation> {
    return this.runner.model();
  }

  /** The run's summary numbers (what lab checks read). */
  summary(): Readonly<Record<string, number>> {
    return this.shown().trace.summary;
  }

  /** What is on screen, as plain data: scenario, seed and parameters are the shown trace's, so they agree with its hash. */
  snapshot(): { t: number; duration: number; playing: boolean; scenario: string; seed: number; params: Record<string, string | number>; hash: string } {
    const s = this.session.getSnapshot();
    const { request, trace } = this.shown();
    return { t: Math.round(s.context.tSec * 1000) / 1000, duration: trace.durationMs / 1000, playing: s.value === 'playing', scenario: request.scenario, seed: trace.seed, params: { ...trace.params }, hash: trace.hash };
  }

  /** Plays from the cursor (from the start if at the end), stopping at `until` seconds if given. */
  playTo(until?: number): void {
    this.runner.warmUp();
    this.session.send(until === undefined ? { type: 'play' } : { type: 'play', until });
  }

  stepBy(seconds: number): void {
    const t = this.session.getSnapshot().context.tSec;
    this.seekTo(seconds >= 0 ? Math.floor(t) + seconds : Math.ceil(t) + seconds);
  }

  seekTo(tSec: number): void {
    this.pause();
    this.session.send({ type: 'seek', tSec });
  }

  pause(): void {
    this.session.send({ type: 'pause' });
  }

  /** Plays at the offered speed nearest to `simSecPerSec`; returns a note when that is not the one asked. */
  setSpeed(simSecPerSec: number): string[] {
    const offered = clockOf(this.sim).speeds;
    const distance = (s: number) => Math.abs(Math.log(s / simSecPerSec));
    const nearest = offered.reduce((best, s) => (distance(s) < distance(best) ? s : best));
    need<HTMLSelectElement>(this, '[data-role=speed]').value = String(nearest);
    this.session.send({ type: 'setSpeed', speed: nearest });
    return nearest === simSecPerSec ? [] : [`speed ${simSecPerSec} is not one this simulation offers (${offered.join(', ')}); using ${nearest}`];
  }

  /** Switches scenario (parameters, seed, cursor at the start); returns what was not taken as asked. */
  async setScenario(id: string): Promise<string[]> {
    if (!findScenario(this.sim, id)) return [`unknown scenario ${JSON.stringify(id.slice(0, 32))}; valid: ${this.sim.scenarios.map((s) => s.id).join(', ')}`];
    this.pause();
    await this.runFor(scenarioRequest(this.sim, id), 0);
    return [];
  }

  /** Changes some parameters through the same validation as the URL; returns what was clamped or ignored. */
  async setParams(partial: Record<string, string | number>): Promise<string[]> {
    const { request, notes } = withParams(this.sim, this.asked(), partial);
    await this.runFor(request);
    return notes;
  }

  /** Back to the current scenario's values, cursor at the start. */
  async resetToScenario(): Promise<void> {
    this.pause();
    await this.runFor(scenarioRequest(this.sim, this.asked().scenario), 0);
  }

  // ---- wiring ----

  private shown() {
    return this.session.getSnapshot().context.shown!;
  }

  private asked(): RunRequest {
    return this.session.getSnapshot().context.request;
  }

  /**
   * For the wiring only (intents.ts). Asks for a run (`tSec`: where the cursor goes when it arrives; undefined keeps it) and waits for
   * it; returns what a note should say about the time. An answer a newer request superseded is dropped.
   */
  async runFor(request: RunRequest, tSec?: number | null, play = false, moving = false): Promise<string[]> {
    this.session.send({ type: 'setState', request, ...(tSec !== undefined ? { tSec } : {}), play });
    this.dataset.busy = 'true';
    this.partial = null;
    const cursorSec = tSec === null ? Infinity : (tSec ?? this.session.getSnapshot().context.tSec);
    const answer = await this.runner.run(request, { cursorSec, moving, onPartial: (first) => this.showPartial(first) });
    if (!answer) return [];
    this.partial = null;
    this.view.computing(false);
    clearTimeout(this.longWait);
    this.session.send({ type: 'traceArrived', ...answer });
    if (this.session.getSnapshot().context.shown?.trace !== answer.trace) return [];
    this.dataset.busy = String(this.runner.busy);
    this.dataset.ranIn = this.runner.lastRanIn;
    const { trace } = answer;
    if (trace.truncated && trace.message) this.view.notice([trace.message]);
    const note = tSec === undefined ? null : clampNote(this.sim, trace, tSec);
    return note ? [note] : [];
  }

  /** The first part of the newest run arrived: drawn at once, the rest marked as not computed yet. */
  private showPartial(first: RunAnswer): void {
    if (!sameRequest(first.request, this.asked())) return;
    this.partial = first;
    this.redraw();
    clearTimeout(this.longWait);
    this.longWait = window.setTimeout(() => this.partial === first && this.view.computing(true), LONG_WAIT_MS);
  }

  /** What to draw: the newest run's first part until the whole of it arrives, else the session's trace. */
  private onScreen(s: Session): { trace: Trace; tSec: number } | null {
    const c = s.context;
    const first = this.partial;
    // The cursor where it goes when the run arrives: at a time asked with the request, else where it is.
    if (first && sameRequest(first.request, c.request)) return { trace: first.trace, tSec: clampTime(first.trace, c.pendingT !== undefined ? c.pendingT : c.tSec) };
    return c.shown ? { trace: c.shown.trace, tSec: c.tSec } : null;
  }

  /** Draws whatever changed in the session, and tells the page around (the embed bridge, the labs). */
  private show(s: Session): void {
    const last = this.last;
    this.last = s;
    const c = s.context;
    if (c.request !== last?.context.request) this.view.syncControls(c.request);
    if (!c.shown) return;
    const playing = s.value === 'playing';
    const wasPlaying = last?.value === 'playing';
    const moved = c.shown !== last?.context.shown || c.tSec !== last.context.tSec || playing !== wasPlaying;
    const onScreen = this.onScreen(s)!;
    if (moved) this.view.draw(onScreen.trace, onScreen.tSec, playing);
    if (playing !== wasPlaying || !last?.context.shown) {
      this.view.syncPlayButton(playing);
      if (playing) this.runClock();
    }
    if (moved && !playing && !this.start) showView(this, this.sim, stateAt(c.shown.request, c.shown.trace, c.tSec), this.embed);
    if (s.value === 'ended' && last?.value !== 'ended') this.dispatchEvent(new CustomEvent('ops-ended'));
    if (moved) this.dispatchEvent(new CustomEvent('ops-change'));
  }

  private redraw(force = false): void {
    const s = this.session.getSnapshot();
    const onScreen = this.onScreen(s);
    if (onScreen) this.view.draw(onScreen.trace, onScreen.tSec, s.value === 'playing', force);
  }

  /** The playback clock: one tick per animation frame while the session plays. */
  private runClock(): void {
    let lastMs = performance.now();
    const tick = (nowMs: number) => {
      if (this.session.getSnapshot().value !== 'playing') return;
      this.session.send({ type: 'tick', dtMs: nowMs - lastMs });
      lastMs = nowMs;
      this.frame = requestAnimationFrame(tick);
    };
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(tick);
  }
}

if (!customElements.get('ops-player')) customElements.define('ops-player', OpsPlayer);
installArticleLinks();
