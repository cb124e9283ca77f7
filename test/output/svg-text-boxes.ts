/**
 * The words of an exported SVG and the boxes they take, estimated as the renderers estimate them
 * (site/charts/text-width.ts, which errs wide), so a test can check that nothing overlaps or
 * leaves the drawing. Reads the markup the export writes: nested <svg> placed with x and y (a
 * chart), or scaled to a viewBox (a picture, whose own words its own tests check: here it is one
 * box).
 */
import { textWidthPx } from '../../site/charts/text-width.ts';
import { TYPE } from '../../site/panels/chart-export.ts';
import { THEME_LOOKS, type ExportTheme } from '../../site/export/theme.ts';

export interface Box {
  what: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Inside a nested drawing (a chart's own ticks and labels) rather than the figure's own words. */
  nested?: boolean;
}

const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));

/** Font size by class, as the export's stylesheet sets it; `boldClasses` are set in bold. */
export interface FontTable {
  px: Record<string, number>;
  bold: readonly string[];
  /** A text with no class (a chart limit's label). */
  plainPx: number;
}

export function svgBoxes(svg: string, fonts: FontTable): { viewBox: Box; texts: Box[]; parts: Box[] } {
  const root = attrs(/^<svg[^>]*>/.exec(svg)![0]);
  const [, , w, h] = root.viewBox!.split(' ').map(Number);
  const texts: Box[] = [];
  const parts: Box[] = [];
  const offsets: { x: number; y: number; opaque: boolean }[] = [{ x: 0, y: 0, opaque: false }];
  let depth = 0;
  for (const m of svg.matchAll(/<(\/?)(svg|text)\b([^>]*)>([^<]*)/g)) {
    const [, closing, name, rest, content] = m;
    const top = offsets[offsets.length - 1]!;
    if (name === 'svg') {
      if (closing) {
        offsets.pop();
        continue;
      }
      if (depth++ === 0) continue;
      const a = attrs(rest!);
      const x = top.x + Number(a.x ?? 0);
      const y = top.y + Number(a.y ?? 0);
      const opaque = top.opaque || (a.viewBox !== undefined && !a.class?.startsWith('chart'));
      offsets.push({ x, y, opaque });
      if (!top.opaque) parts.push({ what: `<svg class="${a.class}">`, left: x, right: x + Number(a.width), top: y, bottom: y + Number(a.height) });
      continue;
    }
    if (closing || top.opaque) continue;
    const a = attrs(rest!);
    const cls = (a.class ?? '').split(' ')[0]!;
    const px = cls ? (fonts.px[cls] ?? NaN) : fonts.plainPx;
    if (!Number.isFinite(px)) throw new Error(`no font size for class ${cls}`);
    const text = content!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    const width = textWidthPx(text, px, fonts.bold.includes(cls));
    const x = top.x + Number(a.x);
    const baseline = top.y + Number(a.y) + (a.dy?.endsWith('em') ? parseFloat(a.dy) * px : 0);
    const anchor = a['text-anchor'] ?? 'start';
    const left = anchor === 'middle' ? x - width / 2 : anchor === 'end' ? x - width : x;
    texts.push({ what: text, left, right: left + width, top: baseline - 0.8 * px, bottom: baseline + 0.24 * px, nested: offsets.length > 1 });
  }
  return { viewBox: { what: 'the drawing', left: 0, right: w!, top: 0, bottom: h! }, texts, parts };
}

export function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

export function inside(a: Box, outer: Box): boolean {
  return a.left >= outer.left && a.right <= outer.right && a.top >= outer.top && a.bottom <= outer.bottom;
}

/** The export's type sizes by class (chart-export.ts's TYPE, the theme's ticks and limit labels). */
export const fontsFor = (theme: ExportTheme): FontTable => ({
  px: {
    'x-title': TYPE.title.px,
    'x-subtitle': TYPE.subtitle.px,
    'x-chart-title': TYPE.chartTitle.px,
    'legend-label': TYPE.legend.px,
    'x-caption': TYPE.caption.px,
    tick: THEME_LOOKS[theme].tickFontPx,
    unit: THEME_LOOKS[theme].tickFontPx,
  },
  bold: ['x-title', 'x-chart-title'],
  plainPx: theme === 'projector' ? 14 : 11.5,
});

/** Every word that leaves the drawing, and every pair of the figure's own words (or a word and a chart or picture) that overlap. */
export function layoutProblems(svg: string, theme: ExportTheme): string[] {
  const { viewBox, texts, parts } = svgBoxes(svg, fontsFor(theme));
  const out: string[] = [];
  for (const t of texts) if (!inside(t, viewBox)) out.push(`“${t.what}” leaves the drawing`);
  const own = texts.filter((t) => !t.nested);
  own.forEach((a, i) => {
    for (const b of own.slice(i + 1)) if (overlaps(a, b)) out.push(`“${a.what}” overlaps “${b.what}”`);
    for (const p of parts) if (overlaps(a, p)) out.push(`“${a.what}” overlaps ${p.what}`);
  });
  return out;
}
