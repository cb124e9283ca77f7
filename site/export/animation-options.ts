/**
 * What an animation export asks for, checked the same way from the page's form and the command
 * line: the panels (a figure's `show` tokens: `picture`, `charts`, `chart:<id>`), the stretch of
 * the run, how many frames a second and how fast the simulated clock runs, the width and the theme.
 * Everything else follows: the moments drawn (`frameTimes`) and the delay between frames.
 */
import { clockOf, type AnySimulation } from '../../sim/core/index.ts';
import { EXPORT_THEMES, type ExportTheme } from './theme.ts';

export interface AnimationRequest {
  /** Panel tokens, in the order they are drawn from the top. */
  panels: readonly string[];
  fromSec: number;
  toSec: number;
  framesPerSec: number;
  /** Simulated seconds per second of animation, as the player's speed menu says it. */
  speed: number;
  widthPx: number;
  theme: ExportTheme;
}

/** A GIF's delays are in hundredths of a second: frame rates above 50 are not shown as asked. */
export const FPS_RANGE = { min: 1, max: 50 } as const;
export const WIDTH_RANGE = { min: 320, max: 1920 } as const;
/** A long export is a big file nobody can paste into a slide: stop well before that. */
export const MAX_FRAMES = 1200;

/** The panels an animation can draw: those drawn as SVG, the picture and the time charts. */
export function panelTokens(sim: AnySimulation): string[] {
  return [...(sim.view.picture ? ['picture'] : []), ...sim.view.charts.map((c) => `chart:${c.id}`)];
}

/** `charts` stands for every chart; anything the lesson does not draw as SVG is a problem named in words. */
export function expandPanels(sim: AnySimulation, tokens: readonly string[]): { panels: string[]; problems: string[] } {
  const valid = panelTokens(sim);
  const panels: string[] = [];
  const problems: string[] = [];
  for (const token of tokens) {
    const expanded = token === 'charts' ? valid.filter((t) => t.startsWith('chart:')) : [token];
    for (const t of expanded) {
      if (!valid.includes(t)) problems.push(`no panel ${t} to animate; valid: ${[...valid, 'charts'].join(', ')}`);
      else if (!panels.includes(t)) panels.push(t);
    }
  }
  if (panels.length === 0 && problems.length === 0) problems.push('no panel to animate');
  return { panels, problems };
}

/** What an export draws unless asked otherwise: the picture and the first chart, a figure that fits one slide. */
export function defaultPanels(sim: AnySimulation): string[] {
  const tokens = panelTokens(sim);
  return tokens.filter((t, i) => t === 'picture' || i === tokens.findIndex((u) => u.startsWith('chart:')));
}

/** The request with its defaults (the whole run, 10 frames a second at the player's default speed, the default panels, 960 px, light), and what is wrong with it. */
export function animationRequest(sim: AnySimulation, durationSec: number, asked: Partial<AnimationRequest>): { request: AnimationRequest; problems: string[] } {
  const { panels, problems } = expandPanels(sim, asked.panels ?? defaultPanels(sim));
  const request: AnimationRequest = {
    panels,
    fromSec: asked.fromSec ?? 0,
    toSec: asked.toSec ?? durationSec,
    framesPerSec: asked.framesPerSec ?? 10,
    speed: asked.speed ?? clockOf(sim).defaultSpeed,
    widthPx: asked.widthPx ?? 960,
    theme: asked.theme ?? 'light',
  };
  const { fromSec, toSec, framesPerSec, speed, widthPx, theme } = request;
  if (!(fromSec >= 0 && fromSec < toSec && toSec <= durationSec)) problems.push(`the range must satisfy 0 <= from < to <= ${durationSec}; got ${fromSec} to ${toSec}`);
  if (!(Number.isInteger(framesPerSec) && framesPerSec >= FPS_RANGE.min && framesPerSec <= FPS_RANGE.max)) problems.push(`frames per second must be a whole number from ${FPS_RANGE.min} to ${FPS_RANGE.max}; got ${framesPerSec}`);
  if (!(speed > 0 && Number.isFinite(speed))) problems.push(`the speed must be a positive number; got ${speed}`);
  if (!(Number.isInteger(widthPx) && widthPx >= WIDTH_RANGE.min && widthPx <= WIDTH_RANGE.max)) problems.push(`the width must be a whole number of pixels from ${WIDTH_RANGE.min} to ${WIDTH_RANGE.max}; got ${widthPx}`);
  if (!EXPORT_THEMES.includes(theme)) problems.push(`the theme must be one of ${EXPORT_THEMES.join(', ')}; got ${theme}`);
  if (problems.length === 0 && frameTimes(request).length > MAX_FRAMES) {
    problems.push(`that is ${frameTimes(request).length} frames, more than ${MAX_FRAMES}: shorten the range, lower the frame rate or raise the speed`);
  }
  return { request, problems };
}

/** The simulated moment of every frame: from `fromSec` in steps of speed/fps, the last at `toSec` at most. */
export function frameTimes(r: Pick<AnimationRequest, 'fromSec' | 'toSec' | 'framesPerSec' | 'speed'>): number[] {
  const stepSec = r.speed / r.framesPerSec;
  // Counted, then multiplied: repeated addition would drift off the sample boundaries.
  const count = Math.floor((r.toSec - r.fromSec) / stepSec + 1e-9) + 1;
  return Array.from({ length: count }, (_, i) => r.fromSec + i * stepSec);
}

/** The delay after each frame in milliseconds, as a GIF stores it (whole hundredths of a second). */
export function frameDelayMs(framesPerSec: number): number {
  return Math.round(100 / framesPerSec) * 10;
}
