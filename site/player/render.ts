/**
 * The player's DOM, drawn from the session: every panel the view asks for, the timeline and its
 * clock, the controls' values, the play button, the notice line. Nothing here decides anything.
 */
import { findScenario, type AnySimulation, type SimState, type Trace } from '../../sim/core/index.ts';
import { clockText, cumulate, need, sampleIndex, type ChartSize, type Cumulative, type PanelFrame, type PanelView } from '../panels/frame.ts';
import { PANELS, type PanelKindName } from '../panels/registry.ts';
import { changesFrom, figureTitle } from './requests.ts';
import type { RunRequest } from './session.ts';
import { sliderPosition } from './slider.ts';

const CHART_HEIGHT = 170;
/** Below this width drawings stack their columns. */
const NARROW_PX = 520;

export class PlayerView {
  private panels: { name: PanelKindName; view: PanelView }[] = [];
  /** The trace each panel last drew in full: a panel skipped for a run's first part catches up later. */
  private ranOn = new Map<PanelView, Trace>();
  private trace: Trace | null = null;
  private cum: Cumulative = {};
  chartSize: ChartSize = { width: 600, height: CHART_HEIGHT };
  /**
   * Whether drawings stack their columns, from the player's width when it was last measured: read
   * at every draw, the width made the browser lay the page out there and then, after a run's writes.
   */
  private vertical = false;
  private readonly root: HTMLElement;
  private readonly sim: AnySimulation;
  /** An embed's frame decides the charts' height; an article's is fixed. */
  private readonly fillsFrame: boolean;
  private readonly reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
  /** Element ids in this player start with it (several figures may show one lesson). */
  private readonly domId: string;
  /** An inline figure's start, which the line over it compares the run with; null for the workbench. */
  private readonly start: RunRequest | null;

  constructor(root: HTMLElement, sim: AnySimulation, fillsFrame: boolean, start: RunRequest | null = null) {
    this.root = root;
    this.sim = sim;
    this.fillsFrame = fillsFrame;
    this.domId = root.dataset.domId ?? sim.id;
    this.start = start;
  }

  /**
   * Mounts each panel the page built into this player (an inline figure builds a few); a heavy
   * renderer (a picture's) is imported only by a lesson that draws it.
   */
  async mount(): Promise<void> {
    const built = (Object.keys(PANELS) as (keyof typeof PANELS)[]).filter((name) => PANELS[name].present(this.sim) && this.root.querySelector(PANELS[name].mark));
    this.panels = await Promise.all(built.map(async (name) => ({ name, view: await PANELS[name].mount(this.root, this.sim) })));
    this.chartSize = this.measureCharts();
    this.vertical = this.root.clientWidth < NARROW_PX;
  }

  /** Chart size from its box: the width always; the height too in an embed, where the frame decides it. True when it changed. */
  remeasure(): boolean {
    const next = this.measureCharts();
    const vertical = this.root.clientWidth < NARROW_PX;
    const changed = Math.abs(next.width - this.chartSize.width) >= 8 || Math.abs(next.height - this.chartSize.height) >= 8 || vertical !== this.vertical;
    if (changed) this.chartSize = next;
    this.vertical = vertical;
    return changed;
  }

  private measureCharts(): ChartSize {
    const boxes = [...this.root.querySelectorAll<HTMLElement>('[data-role=chart]')];
    const width = Math.max(280, Math.round(boxes[0]?.clientWidth || 600));
    if (!this.fillsFrame) return { width, height: CHART_HEIGHT };
    // All charts share one size: take the shortest box, since a legend that wraps leaves its chart less room.
    const heights = boxes.map((b) => b.clientHeight).filter((h) => h > 0);
    return { width, height: Math.max(110, Math.round(heights.length ? Math.min(...heights) : CHART_HEIGHT)) };
  }

  private frame(trace: Trace, tSec: number, playing: boolean): PanelFrame {
    return {
      sim: this.sim,
      domId: this.domId,
      trace,
      cum: this.cum,
      tSec,
      index: sampleIndex(trace, tSec),
      chartSize: this.chartSize,
      vertical: this.vertical,
      playing,
      reducedMotion: this.reducedMotion.matches,
    };
  }

  /**
   * Draws a run: everything that depends on the whole trace (`force` after a resize), then the cursor.
   * A run's first part (computedToSec) draws the charts as far as it goes; the panels that show the
   * moment at the cursor draw it only when the cursor lies in the part computed, and until then keep
   * what they showed.
   */
  draw(trace: Trace, tSec: number, playing: boolean, force = false): void {
    const changed = trace !== this.trace;
    if (changed) {
      this.cum = cumulate(trace);
      this.trace = trace;
    }
    const frame = this.frame(trace, tSec, playing);
    const pastComputed = trace.computedToSec !== undefined && tSec > trace.computedToSec;
    for (const { name, view } of this.panels) {
      if (pastComputed && name !== 'chart') continue;
      if (force || this.ranOn.get(view) !== trace) {
        view.run?.(frame);
        this.ranOn.set(view, trace);
      }
      view.cursor(frame);
    }
    if (changed || force) {
      need<HTMLInputElement>(this.root, '[data-role=timeline]').max = String(trace.durationMs / 1000);
      const hash = this.root.querySelector('[data-role=hash]');
      if (hash) hash.textContent = trace.hash;
      this.root.dataset.traceHash = trace.hash;
      // How far the trace on screen was computed: its end unless it is a run's first part.
      this.root.dataset.computedTo = String(trace.computedToSec ?? trace.durationMs / 1000);
    }
    const end = trace.durationMs / 1000;
    const timeline = need<HTMLInputElement>(this.root, '[data-role=timeline]');
    timeline.value = String(tSec);
    timeline.setAttribute('aria-valuetext', clockText(this.sim, tSec, end, 'words'));
    need(this.root, '[data-role=clock]').textContent = clockText(this.sim, tSec, end, 'short');
  }

  /** The scenario, parameter and seed controls show the run asked for (except the one the reader is typing in). */
  syncControls(state: Omit<SimState, 'tSec'>): void {
    const scenario = findScenario(this.sim, state.scenario);
    const picker = this.root.querySelector<HTMLSelectElement>('[data-role=scenario]');
    if (picker) picker.value = state.scenario;
    const summary = this.root.querySelector('[data-role=scenario-summary]');
    if (summary) summary.textContent = scenario?.summary ?? '';
    if (this.start) this.syncFigureState(state, scenario?.title ?? state.scenario);
    for (const [key, value] of Object.entries(state.params)) {
      const spec = this.sim.params[key];
      const input = this.root.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-param-input="${key}"]`);
      if (input && document.activeElement !== input) input.value = String(value);
      const slider = this.root.querySelector<HTMLInputElement>(`[data-param-slider="${key}"]`);
      if (slider && spec?.kind === 'number') {
        if (document.activeElement !== slider) slider.value = String(sliderPosition(spec, Number(value)));
        slider.setAttribute('aria-valuetext', `${value}${spec.unit ? ` ${spec.unit}` : ''}`);
      }
    }
    const seed = this.root.querySelector<HTMLInputElement>('[data-role=seed]');
    if (seed) seed.value = String(state.seed);
  }

  /** The line over a figure: its scenario, and what the reader (or a link) changed from where it starts. */
  private syncFigureState(state: Omit<SimState, 'tSec'>, title: string): void {
    need(this.root, '[data-role=scenario-title]').textContent = state.scenario === this.start!.scenario ? figureTitle(this.sim, title, this.start!) : title;
    const changes = changesFrom(this.sim, this.start!, state);
    const changed = need(this.root, '[data-role=changed]');
    changed.textContent = changes.length > 0 ? `Changed: ${changes.join(', ')}.` : '';
    changed.hidden = changes.length === 0;
    const away = changes.length > 0 || state.scenario !== this.start!.scenario;
    need<HTMLButtonElement>(this.root, 'button[data-act=reset-params]').hidden = !away;
  }

  syncPlayButton(playing: boolean): void {
    const button = need<HTMLButtonElement>(this.root, 'button[data-act=play]');
    button.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    button.querySelector('[data-icon=play]')!.toggleAttribute('hidden', playing);
    button.querySelector('[data-icon=pause]')!.toggleAttribute('hidden', !playing);
    this.root.dataset.playing = String(playing);
  }

  /**
   * Tells a screen reader, through the notice's live region, that the rest of a run is still being
   * computed; nothing shows on screen (the charts mark the part not computed). Called only after a
   * long wait, so a quick run is never announced.
   */
  computing(on: boolean): void {
    const notice = need(this.root, '[data-role=notice]');
    const line = notice.querySelector('[data-role=computing]');
    if (!on) return void line?.remove();
    if (line) return;
    const p = Object.assign(document.createElement('p'), { className: 'visually-hidden', textContent: 'Computing the rest of the run…' });
    p.dataset.role = 'computing';
    notice.append(p);
  }

  notice(lines: readonly string[]): void {
    need(this.root, '[data-role=notice]').replaceChildren(...lines.map((l) => Object.assign(document.createElement('p'), { textContent: l })));
  }
}
