/**
 * The export dialog of a player: the view on screen as an animated GIF over a stretch of the run
 * (panels, range, frames per second, speed, width, theme; a progress bar and Cancel), or this
 * moment as an SVG or PNG figure at a chosen scale. Every drawing is compose.ts's, with the page's
 * own renderers; the caption is the state's link as "Copy link" writes it (sharing.ts).
 */
import { clockOf, decodeState, findScenario, speedLabel, type AnySimulation, type Trace } from '../../sim/core/index.ts';
import { esc } from '../charts/escape.ts';
import { download, figureFileName, svgToPng } from '../panels/chart-export.ts';
import { PICTURES } from '../pictures/registry.ts';
import type { OpsPlayer } from '../player/player-element.ts';
import { viewLink, viewQuery } from '../player/sharing.ts';
import { encodeAnimation } from './animate.ts';
import { animationRequest, defaultPanels, FPS_RANGE, frameDelayMs, frameTimes, panelTokens, WIDTH_RANGE, type AnimationRequest } from './animation-options.ts';
import { figureLayout, figureSvg, type FigureInput } from './compose.ts';
import { pictureRoot, rulesFor } from './picture-rules.ts';
import type { ExportTheme } from './theme.ts';

const open = new WeakMap<OpsPlayer, HTMLDialogElement>();

function panelLabel(sim: AnySimulation, token: string): string {
  return token === 'picture' ? sim.view.picture!.title : (sim.view.charts.find((c) => `chart:${c.id}` === token)?.title ?? token);
}

/** The page's own rules for the picture, from its loaded stylesheets (picture-rules.ts says which). */
function pageRulesFor(pictureSvg: string): string {
  const root = pictureRoot(pictureSvg);
  if (!root) return '';
  const rules: string[] = [];
  for (const sheet of document.styleSheets) {
    let list: CSSRuleList;
    try {
      list = sheet.cssRules;
    } catch {
      continue;
    }
    for (const rule of list) if (rule instanceof CSSStyleRule) rules.push(rulesFor(rule.cssText, root));
  }
  return rules.filter(Boolean).join('\n');
}

function formHtml(sim: AnySimulation, player: OpsPlayer, tSec: number, durationSec: number): string {
  const clock = clockOf(sim);
  const chosen = new Set(player.dataset.panels?.split(' ').filter((t) => t === 'picture' || t.startsWith('chart:')) ?? defaultPanels(sim));
  const currentSpeed = Number(player.querySelector<HTMLSelectElement>('[data-role=speed]')?.value) || clock.defaultSpeed;
  const inUnit = (s: number) => Math.round((s / clock.unitSec) * 1000) / 1000;
  const id = (name: string) => `export-${player.dataset.domId ?? sim.id}-${name}`;
  const field = (name: string, label: string, input: string) => `<p class="param"><label for="${id(name)}">${label}</label> ${input.replace('<input', `<input id="${id(name)}" name="${name}"`).replace('<select', `<select id="${id(name)}" name="${name}"`)}</p>`;
  return (
    `<form method="dialog" class="export-form">` +
    `<h2 id="${id('title')}">Export this view</h2>` +
    `<fieldset><legend>Panels</legend>${panelTokens(sim)
      .map((t) => `<label class="export-check"><input type="checkbox" name="panel" value="${esc(t)}"${chosen.has(t) ? ' checked' : ''}> ${esc(panelLabel(sim, t))}</label>`)
      .join('')}</fieldset>` +
    `<fieldset><legend>Look</legend>` +
    field('theme', 'Theme', `<select><option value="light">Light</option><option value="projector">Projector (large, full contrast)</option></select>`) +
    field('width', 'Width (pixels)', `<input type="number" min="${WIDTH_RANGE.min}" max="${WIDTH_RANGE.max}" step="1" value="960" required>`) +
    `</fieldset>` +
    `<fieldset><legend>Animation (GIF)</legend>` +
    field('from', `From (${esc(clock.unit)})`, `<input type="number" min="0" max="${inUnit(durationSec)}" step="any" value="${inUnit(tSec < durationSec ? tSec : 0)}" required>`) +
    field('to', `To (${esc(clock.unit)})`, `<input type="number" min="0" max="${inUnit(durationSec)}" step="any" value="${inUnit(durationSec)}" required>`) +
    field('fps', 'Frames per second', `<input type="number" min="${FPS_RANGE.min}" max="${FPS_RANGE.max}" step="1" value="10" required>`) +
    field('speed', 'Speed', `<select>${clock.speeds.map((s) => `<option value="${s}"${s === currentSpeed ? ' selected' : ''}>${esc(speedLabel(clock, s))}</option>`).join('')}</select>`) +
    `<p class="export-buttons"><button type="button" data-export-do="gif">Save GIF</button> <button type="button" data-export-do="cancel" disabled>Cancel export</button></p>` +
    `<progress max="1" value="0" hidden></progress>` +
    `</fieldset>` +
    `<fieldset><legend>This moment as a figure</legend>` +
    field('scale', 'Scale', `<select><option value="1">1×</option><option value="2" selected>2×</option><option value="3">3×</option></select>`) +
    `<p class="export-buttons"><button type="button" data-export-do="svg">Save SVG</button> <button type="button" data-export-do="png">Save PNG</button></p>` +
    `</fieldset>` +
    `<p class="export-status" role="status" aria-live="polite"></p>` +
    `<p class="export-buttons"><button type="submit" data-export-do="close">Close</button></p>` +
    `</form>`
  );
}

export async function openExportDialog(player: OpsPlayer, button: HTMLButtonElement): Promise<void> {
  await player.ready;
  const existing = open.get(player);
  if (existing) return existing.showModal();
  const sim = player.simulation;
  const { t, duration } = player.snapshot();
  const dialog = document.createElement('dialog');
  dialog.className = 'export-dialog';
  dialog.innerHTML = formHtml(sim, player, t, duration);
  dialog.setAttribute('aria-labelledby', dialog.querySelector('h2')!.id);
  player.append(dialog);
  open.set(player, dialog);
  const form = dialog.querySelector('form')!;
  const status = dialog.querySelector<HTMLElement>('.export-status')!;
  const progress = dialog.querySelector('progress')!;
  const cancel = dialog.querySelector<HTMLButtonElement>('[data-export-do=cancel]')!;
  let running: AbortController | null = null;
  dialog.addEventListener('close', () => {
    running?.abort();
    button.focus();
  });
  cancel.addEventListener('click', () => running?.abort());
  form.addEventListener('click', (e) => {
    const what = (e.target as Element).closest<HTMLButtonElement>('button[data-export-do]')?.dataset.exportDo;
    if (what === 'gif' && !running) {
      running = new AbortController();
      cancel.disabled = false;
      progress.hidden = false;
      void saveGif(player, form, running.signal, (done, total) => {
        progress.value = done / total;
        status.textContent = `Frame ${done} of ${total}…`;
      })
        .then((message) => (status.textContent = message))
        .catch((error: Error) => (status.textContent = error.name === 'AbortError' ? 'Export cancelled.' : `The animation could not be made: ${error.message}.`))
        .finally(() => {
          running = null;
          cancel.disabled = true;
          progress.hidden = true;
        });
    }
    if (what === 'svg' || what === 'png') void saveFigure(player, form, what).then((message) => (status.textContent = message), (error: Error) => (status.textContent = `The figure could not be saved: ${error.message}.`));
  });
  dialog.showModal();
}

/** What the form asks for, checked (animation-options.ts); the moment of a figure is the player's. */
function asked(form: HTMLFormElement, sim: AnySimulation, durationSec: number, what: 'animation' | 'figure'): { request: AnimationRequest; problems: string[]; scale: number } {
  const data = new FormData(form);
  const unitSec = clockOf(sim).unitSec;
  const num = (name: string) => Number(data.get(name));
  const look = { panels: data.getAll('panel').map(String), widthPx: num('width'), theme: String(data.get('theme')) as ExportTheme };
  // A figure needs only its panels and look: the range is the animation's.
  const motion = what === 'animation' ? { fromSec: num('from') * unitSec, toSec: num('to') * unitSec, framesPerSec: num('fps'), speed: num('speed') } : {};
  const { request, problems } = animationRequest(sim, durationSec, { ...look, ...motion });
  return { request, problems, scale: num('scale') || 1 };
}

/** The run on screen, run again here (deterministic: the same trace, checked by its hash), with what a drawing needs. */
async function figureInput(player: OpsPlayer, request: AnimationRequest, linkAtSec: number): Promise<{ input: FigureInput; trace: Trace; scenario: string }> {
  const sim = await player.model();
  const shown = player.snapshot();
  const trace = sim.run(shown.params, shown.seed);
  if (trace.hash !== shown.hash) throw new Error('the run differs from the one on screen');
  const { state } = decodeState(sim, player.query());
  const link = `${viewLink(viewQuery(sim, { ...state, tSec: linkAtSec }, null))}#sim`;
  const name = sim.view.picture?.renderer;
  const picture = name && request.panels.includes('picture') ? await PICTURES[name]!() : null;
  const pictureCss = picture ? pageRulesFor(picture.render(trace, 0, { id: 'probe', title: '', vertical: false })) : '';
  const scenarioTitle = findScenario(sim, shown.scenario)?.title ?? shown.scenario;
  return { input: { sim, trace, scenarioTitle, panels: request.panels, theme: request.theme, widthPx: request.widthPx, picture, pictureCss, link }, trace, scenario: shown.scenario };
}

async function saveGif(player: OpsPlayer, form: HTMLFormElement, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<string> {
  const { request, problems } = asked(form, player.simulation, player.snapshot().duration, 'animation');
  if (problems.length > 0) return `Not exported: ${problems.join('; ')}.`;
  const { input, scenario } = await figureInput(player, request, request.fromSec);
  const layout = figureLayout(input, request.fromSec);
  const times = frameTimes(request);
  const bytes = await encodeAnimation({ width: layout.width, height: layout.height, count: times.length, delayMs: frameDelayMs(request.framesPerSec), svgAt: (i) => figureSvg(input, layout, times[i]!), onProgress, signal });
  const name = figureFileName(player.simulation.id, scenario, request.fromSec, `to-${Math.round(request.toSec)}s`, 'gif');
  download(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/gif' }), name);
  return `Saved ${name}: ${times.length} frames, ${layout.width}×${layout.height} pixels, ${Math.round(bytes.length / 1024)} kB.`;
}

async function saveFigure(player: OpsPlayer, form: HTMLFormElement, format: 'svg' | 'png'): Promise<string> {
  const { t, duration } = player.snapshot();
  const { request, problems, scale } = asked(form, player.simulation, duration, 'figure');
  if (problems.length > 0) return `Not saved: ${problems.join('; ')}.`;
  const { input, scenario } = await figureInput(player, request, t);
  const layout = figureLayout(input, t);
  const svg = figureSvg(input, layout, t);
  const name = figureFileName(player.simulation.id, scenario, t, request.panels.join('-').replace(/chart:/g, ''), format);
  download(format === 'svg' ? new Blob([svg], { type: 'image/svg+xml' }) : await svgToPng(svg, layout, scale), name);
  return `Saved ${name}.`;
}
