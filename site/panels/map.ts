/**
 * The network map, for lessons whose trace carries a scene. Its renderer is imported only when a
 * lesson draws a map, so no other page downloads it. While the walk plays, a dot travels the
 * step's path: the step at sample i plays out between its start and its end, so the dot leaves
 * with the step and arrives as the next begins.
 */
import { need, type PanelKind } from './frame.ts';
import { wordedFigure } from './worded-figure.ts';

const renderer = () => import('../charts/network-map.ts');

export const mapPanel: PanelKind = {
  slot: 'figures',
  present: (sim) => sim.view.map !== undefined,
  async build({ sim, trace, index, staticPanels }) {
    const { renderMap, renderMapText } = await renderer();
    const map = sim.view.map!;
    return wordedFigure({
      kind: 'map',
      title: map.title,
      caption: map.caption,
      drawing: renderMap(sim, trace, index, false),
      wordsLabel: 'The map in words',
      words: staticPanels ? renderMapText(trace, index) : '',
    });
  },
  async mount(root, sim) {
    const { renderMap, renderMapText } = await renderer();
    const box = need(root, '[data-role=map]');
    const words = need(root, '[data-role=map-text]');
    // The moving dot and the path it follows at this step, found once per step, not per frame.
    let packet: { dot: SVGCircleElement; path: SVGPathElement; length: number } | null = null;
    let lastIndex = -1;
    let lastVertical = false;
    return {
      run: () => (lastIndex = -1),
      cursor(f) {
        if (f.index !== lastIndex || f.vertical !== lastVertical) {
          lastIndex = f.index;
          lastVertical = f.vertical;
          box.innerHTML = renderMap(sim, f.trace, f.index, f.vertical);
          words.innerHTML = renderMapText(f.trace, f.index);
          const dot = box.querySelector<SVGCircleElement>('circle.packet');
          const path = box.querySelector<SVGPathElement>('path.current');
          packet = dot && path ? { dot, path, length: path.getTotalLength() } : null;
        }
        if (!packet) return;
        if (!f.playing || f.reducedMotion) {
          packet.dot.setAttribute('visibility', 'hidden');
          return;
        }
        const { sampleMs } = f.trace;
        const fraction = Math.min(1, Math.max(0, (f.tSec * 1000 - f.index * sampleMs) / sampleMs));
        const point = packet.path.getPointAtLength(fraction * packet.length);
        packet.dot.setAttribute('cx', point.x.toFixed(1));
        packet.dot.setAttribute('cy', point.y.toFixed(1));
        packet.dot.setAttribute('visibility', 'visible');
      },
    };
  },
};
