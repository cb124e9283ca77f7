/**
 * Text contrast inside an SVG picture, which axe leaves out (it checks no text under role="img").
 * For each <text> drawn, the colour under its centre is composed from the page's background and
 * every filled rectangle that covers that point, in paint order, with their opacities; the text's
 * own fill (with its opacity) over that gives the contrast ratio (WCAG 2's relative luminance).
 * Text over a pattern or a gradient is not judged: its background has no single colour.
 */
import type { Locator } from 'playwright-core';

export interface LowContrast {
  text: string;
  ratio: number;
  fill: string;
  background: string;
}

/** Every <text> in the SVGs under `root` whose contrast is below `minRatio` (4.5: small text, WCAG AA). */
export function lowContrastSvgText(root: Locator, minRatio = 4.5): Promise<LowContrast[]> {
  return root.evaluate((el, min) => {
    type RGBA = [number, number, number, number];
    const parse = (css: string): RGBA | null => {
      const m = css.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const p = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
      return [p[0]!, p[1]!, p[2]!, p.length > 3 ? p[3]! : 1];
    };
    const over = (top: RGBA, under: RGBA): RGBA => {
      const a = top[3];
      return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1];
    };
    const luminance = ([r, g, b]: RGBA) => {
      const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    /** The element's opacity times its ancestors' inside the SVG. */
    const opacityOf = (node: Element, svg: Element) => {
      let o = 1;
      for (let e: Element | null = node; e && e !== svg.parentElement; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    /** The first opaque-enough background colour up the HTML tree, composed over white. */
    const pageBackground = (node: Element): RGBA => {
      const layers: RGBA[] = [];
      for (let e: Element | null = node; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] >= 1) break;
        }
      }
      return layers.reduceRight<RGBA>((under, top) => over(top, under), [255, 255, 255, 1]);
    };
    const out: { text: string; ratio: number; fill: string; background: string }[] = [];
    for (const svg of el.querySelectorAll('svg')) {
      const rects = [...svg.querySelectorAll('rect')];
      for (const text of svg.querySelectorAll('text')) {
        const box = text.getBoundingClientRect();
        if (box.width === 0 || !text.textContent?.trim()) continue;
        const style = getComputedStyle(text);
        const fill = parse(style.fill);
        if (!fill || style.visibility === 'hidden' || style.display === 'none') continue;
        const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
        let background = pageBackground(svg);
        let judged = true;
        for (const r of rects) {
          // Only shapes painted before the text lie under it.
          if (!(r.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
          const rb = r.getBoundingClientRect();
          if (x < rb.left || x > rb.right || y < rb.top || y > rb.bottom) continue;
          const rs = getComputedStyle(r);
          if (rs.fill === 'none' || rs.visibility === 'hidden') continue;
          const c = parse(rs.fill);
          if (!c) {
            judged = false; // a pattern or a gradient
            break;
          }
          background = over([c[0], c[1], c[2], c[3] * Number(rs.fillOpacity) * opacityOf(r, svg)], background);
        }
        if (!judged) continue;
        const ink = over([fill[0], fill[1], fill[2], fill[3] * Number(style.fillOpacity) * opacityOf(text, svg)], background);
        const [l1, l2] = [luminance(ink), luminance(background)].sort((a, b) => b - a);
        const ratio = (l1! + 0.05) / (l2! + 0.05);
        if (ratio < min) {
          const show = (c: RGBA) => `rgb(${c.slice(0, 3).map(Math.round).join(',')})`;
          out.push({ text: text.textContent.trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100, fill: show(ink), background: show(background) });
        }
      }
    }
    return out;
  }, minRatio);
}
