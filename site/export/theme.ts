/**
 * The two looks an exported figure or animation can take: `light` (the page's light theme, for
 * documents) and `projector` (full contrast, thicker lines, larger type, for the back of a room).
 * An exported file carries its colours inside, so the reader's dark mode never leaks into a slide.
 * The colours are global.css's own (test/output/theme.test.ts holds them equal).
 */
export type ExportTheme = 'light' | 'projector';

export const EXPORT_THEMES: readonly ExportTheme[] = ['light', 'projector'];

export interface ThemeLook {
  /** The page's CSS custom properties the pictures' stylesheets read (site/styles/pictures/). */
  vars: Readonly<Record<string, string>>;
  seriesStrokePx: number;
  tickFontPx: number;
  cursorStrokePx: number;
}

const LIGHT_VARS = {
  '--bg': '#fbfaf7',
  '--fg': '#1d1d1b',
  '--muted': '#5b5b57',
  '--line': '#d9d6cc',
  '--panel': '#ffffff',
  '--panel-2': '#f2efe7',
  '--accent': '#0b5d8c',
  '--accent-fg': '#ffffff',
  '--good': '#00795a',
  '--bad': '#b04700',
  '--focus': '#c2410c',
};

export const THEME_LOOKS: Readonly<Record<ExportTheme, ThemeLook>> = {
  light: { vars: LIGHT_VARS, seriesStrokePx: 2.5, tickFontPx: 12, cursorStrokePx: 2 },
  projector: {
    vars: { ...LIGHT_VARS, '--bg': '#ffffff', '--fg': '#000000', '--muted': '#222222', '--line': '#9a9a9a', '--panel': '#ffffff', '--panel-2': '#f0f0f0', '--accent': '#004f80', '--focus': '#b33900' },
    seriesStrokePx: 4,
    tickFontPx: 15,
    cursorStrokePx: 3,
  },
};

const FONT = `system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif`;

/** The stylesheet of an exported drawing: the theme's variables on the root, then the charts' rules. */
export function exportCss(theme: ExportTheme): string {
  const look = THEME_LOOKS[theme];
  const vars = Object.entries(look.vars).map(([k, v]) => `${k}: ${v};`).join(' ');
  return (
    `svg.opslab-export { ${vars} --font: ${FONT}; font-family: var(--font); }` +
    `.x-title { font-size: 20px; font-weight: 700; fill: var(--fg); }` +
    `.x-subtitle, .legend-label { font-size: 14px; fill: var(--muted); }` +
    `.x-chart-title { font-size: 16px; font-weight: 700; fill: var(--fg); }` +
    `.x-caption { font-size: 12px; fill: var(--muted); }` +
    `.grid line { stroke: var(--line); stroke-width: 1; }` +
    `.axis { stroke: var(--muted); }` +
    `.tick, .unit { fill: var(--muted); font-size: ${look.tickFontPx}px; }` +
    `.series path { fill: none; stroke-width: ${look.seriesStrokePx}; stroke-linejoin: round; }` +
    `.series path.future { opacity: ${theme === 'projector' ? 0.35 : 0.28}; }` +
    `.limit line { stroke: var(--fg); stroke-width: 1.25; stroke-dasharray: 3 4; opacity: 0.75; }` +
    `.limit text { fill: var(--fg); font-size: ${theme === 'projector' ? 14 : 11.5}px; }` +
    `.cursor { stroke: var(--focus); stroke-width: ${look.cursorStrokePx}; }` +
    `.band { fill: #8a8a84; opacity: 0.16; }` +
    // A picture's own stylesheet lets it shrink in a narrow column; here its box is set exactly.
    `svg.x-part { max-width: none; }`
  );
}
