/**
 * A picture's rules out of the site's stylesheets: every top-level rule whose selector names the
 * picture's root (`svg.synq`), so an exported drawing carries the page's own look and nothing
 * else. The page reads them from its loaded sheets; the command line from the files, here.
 * Rules inside @media blocks (the page's dark theme) are left out: an export has its own theme.
 */

/** The root class a picture renderer gives its <svg> (`synq` for `<svg class="synq" …>`). */
export function pictureRoot(svg: string): string | null {
  return /^<svg class="([\w-]+)/.exec(svg)?.[1] ?? null;
}

export function rulesFor(css: string, root: string): string {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{' && depth++ === 0) open = i;
    if (ch === '}' && --depth === 0) {
      const selector = text.slice(start, open).trim();
      if (!selector.startsWith('@') && selector.includes(`svg.${root}`)) out.push(`${selector} ${text.slice(open, i + 1).trim()}`);
      start = i + 1;
    }
  }
  return out.join('\n');
}
