/**
 * `npm run sim -- <id> --export gif`: a stretch of a run as an animated GIF, drawn exactly as the
 * page's "Export animation" draws it. Node runs the simulation and writes each frame's SVG with
 * the page's renderers (site/export/compose.ts); headless Chromium, the engine the browser tests
 * use, draws the frames and encodes them with the page's own code (site/export/animate.ts),
 * bundled here with esbuild.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import type { AnySimulation, Trace } from '../sim/core/index.ts';
import { frameDelayMs, frameTimes, type AnimationRequest } from '../site/export/animation-options.ts';
import { figureLayout, figureSvg, type FigureInput } from '../site/export/compose.ts';
import { pictureRoot, rulesFor } from '../site/export/picture-rules.ts';
import { PICTURES } from '../site/pictures/registry.ts';
import { launchChromium } from './bench-browser.ts';

const ENTRY = `import { encodeAnimation } from './site/export/animate.ts'; globalThis.opslabEncodeAnimation = encodeAnimation;`;

/** The picture's renderer and its rules from the site's stylesheets, when the export draws the picture. */
export async function pictureOf(sim: AnySimulation, trace: Trace, panels: readonly string[]): Promise<Pick<FigureInput, 'picture' | 'pictureCss'>> {
  const name = sim.view.picture?.renderer;
  if (!name || !panels.includes('picture')) return { picture: null, pictureCss: '' };
  const picture = await PICTURES[name]!();
  const root = pictureRoot(picture.render(trace, 0, { id: 'probe', title: '', vertical: false }));
  const styles = new URL('../site/styles/', import.meta.url);
  const sheets = ['global.css', ...readdirSync(new URL('pictures/', styles)).map((f) => `pictures/${f}`)];
  const pictureCss = root ? sheets.map((f) => rulesFor(readFileSync(new URL(f, styles), 'utf8'), root)).filter(Boolean).join('\n') : '';
  return { picture, pictureCss };
}

export async function exportGif(
  sim: AnySimulation,
  trace: Trace,
  scenarioTitle: string,
  request: AnimationRequest,
  link: string,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<Uint8Array> {
  const input: FigureInput = { sim, trace, scenarioTitle, panels: request.panels, theme: request.theme, widthPx: request.widthPx, link, ...(await pictureOf(sim, trace, request.panels)) };
  const layout = figureLayout(input, request.fromSec);
  const times = frameTimes(request);
  const bundle = await build({ stdin: { contents: ENTRY, resolveDir: new URL('..', import.meta.url).pathname, loader: 'ts' }, bundle: true, format: 'iife', write: false, logLevel: 'silent' });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.exposeFunction('opslabSvgAt', (i: number) => figureSvg(input, layout, times[i]!));
    await page.exposeFunction('opslabProgress', onProgress);
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const base64 = await page.evaluate(
      async (job) => {
        const w = globalThis as unknown as {
          opslabEncodeAnimation(j: object): Promise<Uint8Array>;
          opslabSvgAt(i: number): Promise<string>;
          opslabProgress(done: number, total: number): Promise<void>;
        };
        const bytes = await w.opslabEncodeAnimation({ ...job, svgAt: (i: number) => w.opslabSvgAt(i), onProgress: (d: number, t: number) => void w.opslabProgress(d, t) });
        let binary = '';
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(binary);
      },
      { width: layout.width, height: layout.height, count: times.length, delayMs: frameDelayMs(request.framesPerSec) },
    );
    return new Uint8Array(Buffer.from(base64, 'base64'));
  } finally {
    await browser.close();
  }
}
