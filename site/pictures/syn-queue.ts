/**
 * Draws the SYN-queue scene (sim/syn-queue/scene.ts) at one sample as an SVG
 * string: the second's SYNs, SYN-ACKs, drops, RSTs and expiries as marks with
 * their counts, the SYN queue and the accept queue as grids of slots at the
 * listener's real limits (syn-queue-layout.ts), and the application taking
 * from the accept queue. Colour is never the only cue: each kind has its own
 * pattern, a SYN-queue slot carries the number of SYN-ACKs its entry has had,
 * and every count is written out.
 */
import type { Trace } from '../../sim/core/index.ts';
import { frameOf } from '../../sim/core/scene.ts';
import type { SynQueueScene } from '../../sim/syn-queue/scene.ts';
import { esc } from '../charts/escape.ts';
import type { PictureRenderer } from './picture.ts';
import { synQueueLayout, type Cell, type Mark, type MarkShape } from './syn-queue-layout.ts';
import { changeInWords, frameInWords } from './syn-queue-words.ts';

/** Each mark in a 12 by 10 box: an arrow in, an arrow out, a cross, a bar, a ring, an arrow down. */
const MARK_PATHS: Record<MarkShape, string> = {
  syn: 'M0,5H11M7,1L11,5L7,9',
  synack: 'M12,5H1M5,1L1,5L5,9',
  drop: 'M2,1L10,9M10,1L2,9',
  rst: 'M1,1V9M1,5H9M9,1V9',
  expired: 'M6,1A4,4 0 1 0 6.01,1M6,5V3',
  accept: 'M6,0V9M2,5L6,9L10,5',
};

const PATTERNS: Record<string, string> = {
  broken: '<path d="M-1,1L1,-1M0,6L6,0M5,7L7,5"/>',
  spoofed: '<path d="M0,0L6,6M6,0L0,6"/>',
  cookie: '<circle cx="3" cy="3" r="1.3"/>',
};

function cellSvg(c: Cell, id: string): string {
  const kind = c.kind;
  const age = c.synAcks === undefined ? '' : ` a-${Math.min(4, c.synAcks)}`;
  let s = `<rect class="sq-cell k-${kind}${age}" x="${c.x}" y="${c.y}" width="${c.size}" height="${c.size}" rx="2"/>`;
  if (PATTERNS[kind]) s += `<rect class="sq-pattern" x="${c.x}" y="${c.y}" width="${c.size}" height="${c.size}" fill="url(#${id}-${kind})"/>`;
  if (c.synAcks !== undefined && c.size >= 14) {
    s += `<text class="sq-age" x="${c.x + c.size / 2}" y="${c.y + c.size / 2 + 4}" text-anchor="middle">${c.synAcks}</text>`;
  }
  return s;
}

const markSvg = (m: Mark) => `<path class="sq-mark m-${m.shape}" transform="translate(${m.x},${m.y})" d="${MARK_PATHS[m.shape]}"/>`;

export function renderSynQueue(scene: SynQueueScene, index: number, o: { id: string; title: string; vertical: boolean; compact?: boolean; atSec: number }): string {
  const frame = frameOf(scene, index);
  if (!frame) return '';
  const l = synQueueLayout(scene, frame, o.vertical, o.compact);
  const defs = Object.entries(PATTERNS)
    .map(([kind, body]) => `<pattern id="${o.id}-${kind}" class="sq-pat p-${kind}" width="6" height="6" patternUnits="userSpaceOnUse">${body}</pattern>`)
    .join('');
  const parts = [
    `<svg class="synq${o.compact && !o.vertical ? ' compact' : ''}" viewBox="0 0 ${l.width} ${l.height}" width="${l.width}" height="${l.height}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc">`,
    `<title id="${o.id}-title">${esc(o.title)}</title>`,
    `<desc id="${o.id}-desc">${esc(frameInWords(scene, frame, o.atSec))}</desc>`,
    `<defs>${defs}</defs><g aria-hidden="true">`,
    ...l.marks.map(markSvg),
    ...[...l.cells.syn, ...l.cells.accept, ...l.cells.legend].map((c) => cellSvg(c, o.id)),
    ...l.labels.map((t) => `<text class="${t.cls}" x="${t.x}" y="${t.y}">${esc(t.text)}</text>`),
    '</g></svg>',
  ];
  return parts.join('');
}

const sceneOf = (trace: Trace) => trace.scene as SynQueueScene | undefined;

/** The two queues as the picture panel draws them (site/panels/picture.ts). */
export const synQueuePicture: PictureRenderer = {
  render(trace, index, o) {
    const scene = sceneOf(trace);
    return scene ? renderSynQueue(scene, index, { ...o, atSec: (index * trace.sampleMs) / 1000 }) : '';
  },
  words(trace, index) {
    const scene = sceneOf(trace);
    const frame = scene && frameOf(scene, index);
    return scene && frame ? frameInWords(scene, frame, (index * trace.sampleMs) / 1000) : '';
  },
  change(trace, from, to) {
    const scene = sceneOf(trace);
    const a = scene && frameOf(scene, from);
    const b = scene && frameOf(scene, to);
    return scene && a && b && from !== to ? changeInWords(scene, a, b) : '';
  },
};
