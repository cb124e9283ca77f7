/**
 * The picture of a lesson's mechanism (site/pictures), for lessons whose trace carries a scene.
 * Its renderer is imported only when a lesson draws one. Besides the drawing it has a described
 * mode, after PhET's interactive description: a live region that says in one short sentence what
 * changed as the reader plays or steps, and the whole picture in words on demand.
 */
import { esc } from '../charts/escape.ts';
import { PICTURES } from '../pictures/registry.ts';
import { drawsCompact, type PictureRenderer } from '../pictures/picture.ts';
import type { AnySimulation } from '../../sim/core/index.ts';
import { need, type PanelFrame, type PanelKind, type PanelView } from './frame.ts';

/** While playing, the live region speaks at most this often, so a screen reader can keep up. */
export const SPEAK_EVERY_MS = 3000;

/** The opening of the picture in words: whole sentences, enough to say something (a bare "At 3 s." is not). */
export function leadOf(words: string): string {
  let lead = '';
  for (const sentence of words.split(/(?<=[.!?])\s+/)) {
    lead = lead ? `${lead} ${sentence}` : sentence;
    if (lead.length >= 40) break;
  }
  return lead;
}

async function rendererOf(sim: AnySimulation): Promise<PictureRenderer> {
  const name = sim.view.picture!.renderer;
  const load = PICTURES[name];
  if (!load) throw new Error(`${sim.id}: no picture renderer called ${name}`);
  return load();
}

export const picturePanel: PanelKind = {
  slot: 'figures',
  present: (sim) => sim.view.picture !== undefined,
  mark: '[data-role=picture]',
  async build({ sim, domId, trace, index, vertical, staticPanels }) {
    const picture = sim.view.picture!;
    const r = await rendererOf(sim);
    return (
      `<figure class="picture-figure"><figcaption><span class="chart-title">${esc(picture.title)}</span>` +
      `<span class="caption-note">${esc(picture.caption)}</span></figcaption>` +
      `<div class="picture-box" data-role="picture">${r.render(trace, index, { id: `picture-${domId}`, title: picture.title, vertical })}</div>` +
      // Described mode: what changed, spoken as the reader plays or steps (empty until they do).
      `<p class="picture-change" data-role="picture-change" role="status" aria-live="polite"></p>` +
      `<details class="chart-data"><summary>The picture in words</summary><p data-role="picture-text">${staticPanels ? esc(r.words(trace, index)) : ''}</p></details></figure>`
    );
  },
  async mount(root, sim) {
    const r = await rendererOf(sim);
    const picture = sim.view.picture!;
    const box = need(root, '[data-role=picture]');
    const words = need(root, '[data-role=picture-text]');
    const live = need(root, '[data-role=picture-change]');
    let move: ((fraction: number | null) => void) | null = null;
    let lastIndex = -1;
    let lastVertical = false;
    let lastCompact = false;
    let lastWide = false;
    // Whether the picture's cell is at least twice as wide as tall (PictureOptions.wide), as the
    // browser last laid it out: watched rather than measured at each step, which would make the
    // browser lay the page out again at every frame of play. A change redraws the last frame.
    let wideCell = false;
    let lastFrame: PanelFrame | null = null;
    new ResizeObserver(([entry]) => {
      const { width, height } = entry!.contentRect;
      const wide = height > 0 && width >= 2 * height;
      if (wide === wideCell) return;
      wideCell = wide;
      if (lastFrame) view.cursor(lastFrame);
    }).observe(box);
    // What the live region last spoke about, and when: the next sentence covers everything since.
    let spokenIndex = -1;
    let spokenAtMs = -Infinity;
    const view: PanelView = {
      run: () => {
        lastIndex = -1;
        spokenIndex = -1;
      },
      cursor(f) {
        const compact = drawsCompact(f.vertical, document.documentElement.classList.contains('embed'));
        const wide = compact && wideCell;
        lastFrame = f;
        if (f.index !== lastIndex || f.vertical !== lastVertical || compact !== lastCompact || wide !== lastWide) {
          lastIndex = f.index;
          lastVertical = f.vertical;
          lastCompact = compact;
          lastWide = wide;
          box.innerHTML = r.render(f.trace, f.index, { id: `picture-${f.domId}`, title: picture.title, vertical: f.vertical, compact, wide });
          words.textContent = r.words(f.trace, f.index);
          move = r.motion?.(box) ?? null;
          if (spokenIndex < 0) spokenIndex = f.index;
          const nowMs = performance.now();
          if (spokenIndex !== f.index && (!f.playing || nowMs - spokenAtMs >= SPEAK_EVERY_MS)) {
            // A reader who steps always hears where things stand, even when nothing changed much.
            const sentence = r.change(f.trace, spokenIndex, f.index) || (f.playing ? '' : leadOf(r.words(f.trace, f.index)));
            spokenIndex = f.index;
            if (sentence) {
              live.textContent = sentence;
              spokenAtMs = nowMs;
            }
          }
        }
        if (!move) return;
        if (!f.playing || f.reducedMotion) return move(null);
        const { sampleMs } = f.trace;
        move(Math.min(1, Math.max(0, (f.tSec * 1000 - f.index * sampleMs) / sampleMs)));
      },
    };
    return view;
  },
};
