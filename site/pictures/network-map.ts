/**
 * Draws a trace's network scene (sim/core/network-scene.ts) at one frame, as an SVG
 * string: hosts as boxes in bands (columns on a wide screen, rows on a phone),
 * each with its addresses, its services and the forward listeners open at this
 * step; the SSH connection as a wide pipe; and what the step sends as a
 * coloured line over the hosts it crosses, with an arrow at the end. A
 * connection inside one host (over loopback) is a loop on that host.
 *
 * Lines run between box edges, and a hop between two boxes in the same band
 * bends outwards, so no line hides under a box. Colour is never the only cue:
 * each kind of path has its own stroke pattern, and the text alternative
 * (sceneInWords) says the same in words.
 */
import type { Trace } from '../../sim/core/index.ts';
import type { NetworkScene as Scene, SceneFrame, SceneNode, ScenePathKind } from '../../sim/core/network-scene.ts';
import { esc } from '../charts/escape.ts';
import type { PictureRenderer } from './picture.ts';

export interface NetworkMapOptions {
  id: string;
  title: string;
  vertical: boolean;
  compact?: boolean;
}

const PAD = 10;
const GAP = 14;

/**
 * Type and spacing, matched to the CSS (svg.netmap in global.css). Monospace is about 0.61 em a
 * character; lines longer than their box are cut with an ellipsis.
 */
export interface MapMetrics { charW: number; lineH: number; nameH: number; bandTitleH: number; bandGap: number; bottomPad: number }
export const METRICS: MapMetrics = { charW: 6.7, lineH: 14, nameH: 20, bandTitleH: 18, bandGap: GAP + 12, bottomPad: GAP };
/**
 * For a small box or a slide (svg.netmap.compact): 13-unit lines and 15-unit names, the hosts'
 * bare addresses left to the words, and boxes closer, so the map keeps its wide, short shape and
 * its words come out near 11 px in a 768 x 152 px slot.
 */
export const COMPACT_METRICS: MapMetrics = { charW: 8, lineH: 15, nameH: 20, bandTitleH: 18, bandGap: 8, bottomPad: 6 };
const BARE_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;
/** The lines a box draws: all of them, or in the compact map all but bare addresses (what runs there stays). */
export const drawnLines = (node: SceneNode, compact: boolean) => (compact ? node.lines.filter((l) => !BARE_ADDRESS.test(l)) : node.lines);

interface Box { node: SceneNode; x: number; y: number; w: number; h: number; lines: string[]; listening: string[] }

function linesThatFit(lines: readonly string[], width: number, m: MapMetrics): string[] {
  const max = Math.floor((width - 14) / m.charW);
  return lines.map((l) => (l.length > max ? `${l.slice(0, max - 1)}…` : l));
}

/** Box positions: bands side by side (wide) or stacked (narrow, nodes of a band side by side and wrapping). */
export function mapLayout(scene: Scene, frame: SceneFrame, vertical: boolean, compact = false): { boxes: Map<string, Box>; width: number; height: number; bandLabels: { text: string; x: number; y: number }[] } {
  const boxes = new Map<string, Box>();
  const bandLabels: { text: string; x: number; y: number }[] = [];
  const m = compact && !vertical ? COMPACT_METRICS : METRICS;
  const lines = (n: SceneNode) => drawnLines(n, compact && !vertical);
  const heightOf = (n: SceneNode) => m.nameH + m.lineH * (lines(n).length + frame.listening.filter((s) => s.node === n.id).length) + 8;
  const make = (node: SceneNode, x: number, y: number, w: number) => {
    const listening = frame.listening.filter((s) => s.node === node.id).map((s) => s.label);
    boxes.set(node.id, { node, x, y, w, h: heightOf(node), lines: linesThatFit(lines(node), w, m), listening: linesThatFit(listening, w, m) });
  };
  if (!vertical) {
    // Wide gaps between the bands: that is where the pipe and the lines between hosts show.
    const width = 600;
    const gapX = compact ? 40 : 50;
    const colW = (width - 2 * PAD - 2 * gapX) / 3;
    let height = 0;
    scene.bands.forEach((title, band) => {
      const x = PAD + band * (colW + gapX);
      bandLabels.push({ text: title, x: x + colW / 2, y: PAD + 11 });
      let y = PAD + m.bandTitleH;
      for (const node of scene.nodes.filter((n) => n.band === band)) {
        make(node, x, y, colW);
        y += heightOf(node) + m.bandGap;
      }
      height = Math.max(height, y);
    });
    return { boxes, width, height: height - m.bandGap + m.bottomPad, bandLabels };
  }
  const width = 340;
  const perRow = 2;
  const boxW = (width - 2 * PAD - (perRow - 1) * 28) / perRow;
  let y = PAD;
  scene.bands.forEach((title, band) => {
    const nodes = scene.nodes.filter((n) => n.band === band);
    bandLabels.push({ text: title, x: width / 2, y: y + 11 });
    y += m.bandTitleH;
    for (let i = 0; i < nodes.length; i += perRow) {
      const row = nodes.slice(i, i + perRow);
      // A lone box sits in the middle, so the pipe from the band above runs straight into it.
      const x0 = row.length === 1 ? (width - boxW) / 2 : PAD;
      row.forEach((node, k) => make(node, x0 + k * (boxW + 28), y, boxW));
      y += Math.max(...row.map(heightOf)) + GAP;
    }
    y += 8;
  });
  return { boxes, width, height: y, bandLabels };
}

/** Where a line from the centre of a box towards (tx, ty) leaves it (a little outside, for the arrowhead). */
function edgePoint(b: Box, tx: number, ty: number, margin = 3): [number, number] {
  const cx = b.x + b.w / 2;
  const cy = b.y + b.h / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  const scale = 1 / Math.max(Math.abs(dx) / (b.w / 2 + margin), Math.abs(dy) / (b.h / 2 + margin), 1e-9);
  return [cx + dx * scale, cy + dy * scale];
}

const f = (n: number) => n.toFixed(1);

/** The path data for one hop: straight between boxes in different bands, bent outwards within a band. */
function hopPath(a: Box, b: Box, vertical: boolean, lastBand: number): string {
  const sameBand = a.node.band === b.node.band;
  const ax = a.x + a.w / 2;
  const ay = a.y + a.h / 2;
  const bx = b.x + b.w / 2;
  const by = b.y + b.h / 2;
  if (!sameBand) {
    const [x1, y1] = edgePoint(a, bx, by);
    const [x2, y2] = edgePoint(b, ax, ay);
    return `M${f(x1)},${f(y1)} L${f(x2)},${f(y2)}`;
  }
  if (!vertical) {
    // Stacked in one column: out of the side that faces the gap (the left one for the last band) and round.
    const y1 = a.y + a.h / 2;
    const y2 = b.y + b.h / 2;
    if (a.node.band === lastBand) {
      const x = Math.min(a.x, b.x);
      return `M${f(x - 3)},${f(y1)} C${f(x - 30)},${f(y1)} ${f(x - 30)},${f(y2)} ${f(x - 3)},${f(y2)}`;
    }
    const x = Math.max(a.x + a.w, b.x + b.w);
    return `M${f(x + 3)},${f(y1)} C${f(x + 30)},${f(y1)} ${f(x + 30)},${f(y2)} ${f(x + 3)},${f(y2)}`;
  }
  // Side by side in one row: out of the bottom edges and round.
  const y = Math.max(a.y + a.h, b.y + b.h);
  return `M${f(ax)},${f(y + 3)} C${f(ax)},${f(y + 22)} ${f(bx)},${f(y + 22)} ${f(bx)},${f(y + 3)}`;
}

/** A connection inside one host: a loop on its top edge, at the left, clear of the band's title. */
function loopPath(b: Box): string {
  const cx = b.x + 26;
  return `M${f(cx - 9)},${f(b.y - 2)} C${f(cx - 16)},${f(b.y - 24)} ${f(cx + 16)},${f(b.y - 24)} ${f(cx + 9)},${f(b.y - 2)}`;
}

const KIND_WORDS: Record<ScenePathKind, string> = {
  session: 'the SSH connection',
  tcp: 'a TCP connection',
  channel: 'a message inside the SSH connection',
  relay: 'bytes relayed end to end',
  failed: 'an attempt that failed',
  datagram: 'a datagram (UDP or ICMP), not forwarded',
};

/** The frame at a sample index, clamped to the run (an empty one for a scene with no frames). */
function frameAt(scene: Scene, index: number): SceneFrame {
  return scene.frames[Math.min(scene.frames.length - 1, Math.max(0, index))] ?? { focus: null, listening: [], paths: [] };
}

export function renderNetworkMap(scene: Scene, frameIndex: number, o: NetworkMapOptions): string {
  const frame = frameAt(scene, frameIndex);
  const compact = (o.compact ?? false) && !o.vertical;
  const m = compact ? COMPACT_METRICS : METRICS;
  const { boxes, width, height, bandLabels } = mapLayout(scene, frame, o.vertical, compact);
  const parts: string[] = [
    // Room above the first boxes for loopback loops.
    `<svg class="netmap${compact ? ' compact' : ''}" viewBox="0 -16 ${width} ${height + 16}" width="${width}" height="${height + 16}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc">`,
    `<title id="${o.id}-title">${esc(o.title)}</title>`,
    `<desc id="${o.id}-desc">${esc(sceneInWords(scene, frameIndex))}</desc>`,
    `<defs><marker id="${o.id}-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>`,
  ];
  for (const l of bandLabels) parts.push(`<text class="band-title" x="${f(l.x)}" y="${f(l.y)}" text-anchor="middle" aria-hidden="true">${esc(l.text)}</text>`);
  // Pipes first, then the lines in them; boxes last, over their ends.
  const ordered = [...frame.paths].sort((a, b) => Number(b.kind === 'session') - Number(a.kind === 'session') || Number(a.current) - Number(b.current));
  parts.push('<g class="paths" aria-hidden="true">');
  for (const p of ordered) {
    const cls = `path kind-${p.kind}${p.current ? ' current' : ''}`;
    const hops = p.hops.map((h) => boxes.get(h)).filter((b): b is Box => b !== undefined);
    if (hops.length === 0) continue;
    if (hops.length === 1) {
      parts.push(`<path class="${cls}" d="${loopPath(hops[0]!)}"${p.current ? ` marker-end="url(#${o.id}-arrow)"` : ''}/>`);
      continue;
    }
    const d = hops.slice(1).map((b, i) => hopPath(hops[i]!, b, o.vertical, scene.bands.length - 1)).join(' ');
    parts.push(`<path class="${cls}" d="${d}"${p.current && p.kind !== 'session' ? ` marker-end="url(#${o.id}-arrow)"` : ''}/>`);
  }
  parts.push('</g><g class="hosts">');
  for (const b of boxes.values()) {
    const focus = frame.focus === b.node.id ? ' focus' : '';
    const text: string[] = [`<text class="host-name" x="8" y="${m.nameH - 5}">${esc(b.node.id)}</text>`];
    const lineY = (i: number) => m.nameH + m.lineH - 3 + i * m.lineH;
    b.lines.forEach((line, i) => text.push(`<text class="host-line" x="8" y="${lineY(i)}">${esc(line)}</text>`));
    b.listening.forEach((line, i) => text.push(`<text class="host-line listening" x="8" y="${lineY(b.lines.length + i)}">${esc(line)}</text>`));
    // The full lines, for those cut to fit.
    const full = [b.node.id, ...b.node.lines, ...frame.listening.filter((s) => s.node === b.node.id).map((s) => s.label)].join('\n');
    parts.push(`<g class="host${focus}" data-host="${esc(b.node.id)}" transform="translate(${f(b.x)},${f(b.y)})"><title>${esc(full)}</title><rect width="${f(b.w)}" height="${f(b.h)}" rx="6"/>${text.join('')}</g>`);
  }
  // The packet the player moves along the step's path while it plays (hidden when paused or under reduced motion).
  if (frame.paths.some((p) => p.current)) parts.push('<circle class="packet" r="5" cx="0" cy="0" visibility="hidden" aria-hidden="true"/>');
  parts.push('</g></svg>');
  return parts.join('');
}

/** The frame in words: where the step happens, what it sends over which hosts, what listens. */
export function sceneInWords(scene: Scene, frameIndex: number): string {
  const frame = frameAt(scene, frameIndex);
  const sentences: string[] = [];
  sentences.push(frame.focus ? `This step happens on ${frame.focus}.` : 'No step is happening on a host.');
  const route = (hops: string[]) => (hops.length === 1 ? `inside ${hops[0]}` : hops.join(' → '));
  for (const p of frame.paths.filter((x) => x.current)) sentences.push(`It sends ${KIND_WORDS[p.kind]}: ${route(p.hops)}.`);
  const session = frame.paths.find((x) => x.kind === 'session');
  if (session) sentences.push(`The SSH connection runs ${route(session.hops)}.`);
  const still = frame.paths.filter((x) => !x.current && x.kind === 'tcp');
  if (still.length > 0) sentences.push(`Still open: ${still.map((x) => route(x.hops)).join('; ')}.`);
  if (frame.listening.length > 0) sentences.push(`Forward listeners: ${frame.listening.map((s) => `${s.label} on ${s.node}`).join(', ')}.`);
  // Every host's addresses and services, which the compact map shortens.
  sentences.push(`Hosts: ${scene.nodes.map((n) => (n.lines.length ? `${n.id} (${n.lines.join(', ')})` : n.id)).join('; ')}.`);
  return sentences.join(' ');
}

const sceneOf = (trace: Trace) => trace.scene as Scene | undefined;

/** The network map as the picture panel draws it (site/panels/picture.ts). */
export const networkMap: PictureRenderer = {
  render(trace, index, o) {
    const scene = sceneOf(trace);
    return scene ? renderNetworkMap(scene, index, o) : '';
  },
  words(trace, index) {
    const scene = sceneOf(trace);
    return scene ? sceneInWords(scene, index) : '';
  },
  change(trace, from, to) {
    const scene = sceneOf(trace);
    if (!scene || from === to) return '';
    const frame = frameAt(scene, to);
    const route = (hops: string[]) => (hops.length === 1 ? `inside ${hops[0]}` : hops.join(' to '));
    const current = frame.paths.filter((p) => p.current).map((p) => `${KIND_WORDS[p.kind]}, ${route(p.hops)}`);
    return `Step ${to + 1}${frame.focus ? `, on ${frame.focus}` : ''}${current.length > 0 ? `: ${current.join('; ')}` : ''}.`;
  },
  motion(box) {
    // The dot that follows the step's path while the walk plays.
    const dot = box.querySelector<SVGCircleElement>('circle.packet');
    const path = box.querySelector<SVGPathElement>('path.current');
    if (!dot || !path) return null;
    const length = path.getTotalLength();
    return (fraction) => {
      if (fraction === null) return void dot.setAttribute('visibility', 'hidden');
      const point = path.getPointAtLength(fraction * length);
      dot.setAttribute('cx', point.x.toFixed(1));
      dot.setAttribute('cy', point.y.toFixed(1));
      dot.setAttribute('visibility', 'visible');
    };
  },
};
