/**
 * An embed that fits its frame: the panels `panels=` names (or the lesson's default, its article's
 * first figure) and nothing else, laid out in one grid (embed.css), and everything drawn at the
 * frame's scale (frame-scale.ts, or `scale=`), through CSS zoom on the page's <main>: the charts
 * measure their boxes in unzoomed pixels, so they are drawn at the design size and their text,
 * margins and lines grow with the frame together.
 */
import type { AnySimulation } from '../../sim/core/index.ts';
import { PANELS, type PanelKindName } from '../panels/registry.ts';
import { readShow, type ShownPanels } from '../player/show-tokens.ts';
import { frameScale } from './frame-scale.ts';
import type { EmbedOptions } from './protocol.ts';

/** A picture at least this many times wider than tall is laid out above the other panels instead of beside them. */
const WIDE_PICTURE = 1.6;

/** Keeps `--scale` (embed.css zooms <main> by it) in step with the frame, unless the address fixes it. */
export function followFrameScale(fixed: number | null): void {
  const root = document.documentElement;
  const apply = () => root.style.setProperty('--scale', String(fixed ?? frameScale(window.innerWidth, window.innerHeight)));
  apply();
  if (fixed === null) window.addEventListener('resize', apply);
}

/** The element a panel's mark belongs to, as a direct child of the player or of one of its rows. */
function panelElement(mark: Element, root: HTMLElement): HTMLElement {
  let el = mark as HTMLElement;
  while (el.parentElement && el.parentElement !== root && !el.parentElement.matches('.panels, .accounts')) el = el.parentElement;
  return el;
}

/** The panels to show: those asked for, else the lesson's default; and what was wrong with the ones asked for. */
export function choosePanels(sim: AnySimulation, asked: string | null, lessonDefault: string): { shown: ShownPanels; tokens: string; problem: string | null } {
  const firstChart = sim.view.charts[0] ? ` chart:${sim.view.charts[0].id}` : '';
  const candidates = [lessonDefault, `${sim.view.picture ? 'picture' : 'diagram'}${firstChart}`];
  let problem: string | null = null;
  if (asked !== null) {
    const read = readShow(sim, asked);
    if (!('problem' in read)) return { shown: read, tokens: asked, problem: null };
    problem = `panels=${JSON.stringify(asked.slice(0, 60))}: ${read.problem}`;
  }
  for (const tokens of candidates) {
    const read = readShow(sim, tokens);
    if (!('problem' in read)) return { shown: read, tokens, problem: problem && `${problem}; showing ${tokens}` };
  }
  throw new Error(`${sim.id}: no default panels to show`);
}

/**
 * Removes every panel not shown (before the player mounts its panels, so none is drawn in vain)
 * and puts the rest, in the order named, into the one grid of figures.
 */
export function keepPanels(root: HTMLElement, sim: AnySimulation, shown: ShownPanels): void {
  const grid = root.querySelector<HTMLElement>('.panels');
  if (!grid) return;
  const byToken = new Map<string, HTMLElement[]>();
  for (const name of Object.keys(PANELS) as PanelKindName[]) {
    if (!PANELS[name].present(sim)) continue;
    for (const mark of root.querySelectorAll(PANELS[name].mark)) {
      const el = panelElement(mark, root);
      const token = name === 'chart' ? `chart:${el.dataset.chartId}` : name;
      if (!(shown.order as readonly string[]).includes(token)) el.remove();
      else byToken.set(token, [...(byToken.get(token) ?? []), el]);
    }
  }
  const kept = shown.order.flatMap((token) => byToken.get(token) ?? []);
  for (const el of kept) {
    el.classList.add('fit-panel');
    grid.append(el);
  }
  grid.dataset.count = String(kept.length);
  // The picture is the slide's subject: with others beside it, it takes the first column's full height; a wide
  // one (a network map, an index) would be small in half the width, so it takes the full width above them.
  const lead = kept[0]?.classList.contains('picture-figure') ? kept[0] : null;
  const box = lead?.querySelector('svg')?.viewBox.baseVal;
  grid.dataset.lead = !lead ? 'other' : box && box.height > 0 && box.width / box.height >= WIDE_PICTURE ? 'wide-picture' : 'picture';
  root.dataset.panels = shown.order.join(' ');
}

/**
 * The embed's panels, chosen and kept (see above); an unknown panel in the address is said, with
 * the valid ones, and dropped from what the embed code copies. Returns that note, if any.
 */
export function fitEmbedPanels(root: HTMLElement, sim: AnySimulation, options: EmbedOptions): string | null {
  const lessonDefault = root.closest<HTMLElement>('[data-default-panels]')?.dataset.defaultPanels ?? '';
  const { shown, problem } = choosePanels(sim, options.panels, lessonDefault);
  keepPanels(root, sim, shown);
  if (problem) options.panels = null;
  return problem;
}
