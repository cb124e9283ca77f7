/**
 * What a layout test asks of a page that must fit its window, in one pass inside the page (passed
 * to page.evaluate, so it closes over nothing): whether anything scrolls, which visible text is cut
 * off by the viewport or by any box that clips it (an `overflow` other than visible, or the SVG it
 * is drawn in), and the smallest text as it reaches the screen, in pixels.
 */
export interface FitReport {
  /** The page, or a box in it, scrolls: what and by how much. */
  scrolls: string[];
  /** Text whose box reaches outside the viewport or a box that clips it. */
  clipped: string[];
  /** The smallest visible text on screen outside the lesson's picture: its size in screen pixels and its words. */
  smallest: { px: number; text: string };
  /** The same inside the picture (.picture-box), drawn to its own layout; Infinity when there is none. */
  smallestInPicture: { px: number; text: string };
  /** How many pieces of text were checked (a page with none would pass every check). */
  texts: number;
}

export function checkFit(): FitReport {
  const TOLERANCE_PX = 1.5;
  const doc = document.documentElement;
  const scrolls: string[] = [];
  const label = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}`;
  if (doc.scrollHeight > window.innerHeight + 0.5) scrolls.push(`the page: ${doc.scrollHeight} > ${window.innerHeight}`);
  if (doc.scrollWidth > window.innerWidth + 0.5) scrolls.push(`the page: ${doc.scrollWidth} wide > ${window.innerWidth}`);
  for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
    const style = getComputedStyle(el);
    const scrollsY = /auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    const scrollsX = /auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    if ((scrollsY || scrollsX || el.scrollTop > 0) && el.checkVisibility({ visibilityProperty: true })) scrolls.push(`${label(el)}: ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`);
  }

  // Not drawn: display none, visibility hidden, inside a closed <details>, transparent, or clipped away on purpose (text for screen readers).
  const hiddenByClip = (el: Element) => {
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return true;
    for (let a: Element | null = el; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.clipPath !== 'none' || (s.clip && s.clip !== 'auto') || s.visibility === 'hidden' || Number(s.opacity) === 0) return true;
      if (/^(title|desc|option|script|style|noscript|textarea)$/i.test(a.tagName)) return true;
    }
    return false;
  };
  /** The boxes that would cut this element's drawing: every ancestor clipping overflow, and the SVG it is in. */
  const clipsOf = (el: Element) => {
    const out: Element[] = [];
    for (let a = el.parentElement; a && a !== doc; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (a instanceof SVGSVGElement || s.overflowX !== 'visible' || s.overflowY !== 'visible') out.push(a);
    }
    return out;
  };
  /** Screen pixels per CSS pixel of this element's font: its zoom, and for SVG text the drawing's scale. */
  const pxPerUnit = (el: Element) => {
    const svg = el instanceof SVGElement ? el.ownerSVGElement : null;
    if (svg) {
      const box = svg.viewBox.baseVal;
      const r = svg.getBoundingClientRect();
      if (box && box.width > 0 && box.height > 0) return Math.min(r.width / box.width, r.height / box.height);
      return (el as SVGElement & { currentCSSZoom?: number }).currentCSSZoom ?? 1;
    }
    return (el as HTMLElement & { currentCSSZoom?: number }).currentCSSZoom ?? 1;
  };

  const clipped: string[] = [];
  let smallest = { px: Infinity, text: '' };
  let smallestInPicture = { px: Infinity, text: '' };
  let texts = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const words = node.textContent?.trim() ?? '';
    const el = node.parentElement;
    if (!words || !el || hiddenByClip(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    texts++;
    const px = parseFloat(getComputedStyle(el).fontSize) * pxPerUnit(el);
    const found = { px: Math.round(px * 10) / 10, text: words.slice(0, 40) };
    if (el.closest('.picture-box')) {
      if (px < smallestInPicture.px) smallestInPicture = found;
    } else if (px < smallest.px) smallest = found;
    const boxes = [{ name: 'the viewport', r: { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight } }, ...clipsOf(el).map((c) => ({ name: label(c), r: c.getBoundingClientRect() }))];
    for (const { name, r } of boxes) {
      if (rect.left < r.left - TOLERANCE_PX || rect.right > r.right + TOLERANCE_PX || rect.top < r.top - TOLERANCE_PX || rect.bottom > r.bottom + TOLERANCE_PX) {
        clipped.push(`${JSON.stringify(words.slice(0, 40))} in ${label(el)} is cut by ${name}`);
        break;
      }
    }
  }
  return { scrolls, clipped, smallest, smallestInPicture, texts };
}
