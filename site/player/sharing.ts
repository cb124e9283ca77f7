/**
 * The view on screen, shared: the page's address kept in step with it, the link and the embed
 * code to copy, and a chart saved as a figure. Everything goes through the one URL codec.
 */
import { encodeState, findScenario, type AnySimulation, type SimState, type Trace } from '../../sim/core/index.ts';
import type { EmbedOptions } from '../embed/protocol.ts';
import { need } from '../panels/frame.ts';
import { sitePage } from './site-root.ts';

/** The state to encode: at the very end of the run, no `t` (the codec's "end"), so a link survives a longer run. */
export function stateAt(request: Omit<SimState, 'tSec'>, trace: Trace, tSec: number): SimState {
  return { ...request, tSec: tSec >= trace.durationMs / 1000 ? null : tSec };
}

/** The query for this view: the simulation's state, plus an embed's own options when they differ from the defaults. */
export function viewQuery(sim: AnySimulation, state: SimState, embed: EmbedOptions | null): string {
  const search = new URLSearchParams(encodeState(sim, state));
  if (embed) {
    if (embed.theme !== 'auto') search.set('theme', embed.theme);
    if (embed.controls !== 'full') search.set('controls', embed.controls);
    if (embed.autoplay) search.set('autoplay', '1');
    if (embed.speed !== null) search.set('speed', String(embed.speed));
    if (embed.panels !== null) search.set('panels', embed.panels);
    if (embed.scale !== null) search.set('scale', String(embed.scale));
  }
  return search.toString();
}

/**
 * How an embed code shows the view: an embed's own options as given; from an article or the
 * workbench, the theme on screen when the reader has chosen projector mode, and nothing else.
 */
export function embedOptionsShown(embed: EmbedOptions | null, pageTheme: string | undefined): EmbedOptions | null {
  if (embed) return embed;
  return pageTheme === 'projector' ? { theme: 'projector', controls: 'full', autoplay: false, speed: null, panels: null, scale: null } : null;
}

export function viewLink(query: string): string {
  const url = new URL(window.location.href);
  url.search = query;
  url.hash = '';
  return url.toString();
}

/** An iframe for a slide or a page, showing this exact view (`query`: viewQuery's), and a plain link under it; its address is in the folder this page is in, wherever that is. */
export function embedCode(sim: AnySimulation, query: string, link: string): string {
  const src = sitePage(`embed/${sim.id}/`);
  src.search = query;
  const title = `Opslab: ${sim.title}`;
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${attr(src.toString())}" width="960" height="540" title="${attr(title)}" style="border:0" loading="lazy"></iframe>\n<a href="${attr(link)}">${title}</a>`;
}

const embedQuery = (sim: AnySimulation, state: SimState, embed: EmbedOptions | null) =>
  viewQuery(sim, state, embedOptionsShown(embed, document.documentElement.dataset.theme));

/** Puts the view in the address bar (without a history entry) and in the share fields. */
export function showView(root: HTMLElement, sim: AnySimulation, state: SimState, embed: EmbedOptions | null): void {
  const query = `?${viewQuery(sim, state, embed)}`;
  if (window.location.search !== query) history.replaceState(history.state, '', query + window.location.hash);
  const link = viewLink(query.slice(1));
  need<HTMLInputElement>(root, '[data-role=link]').value = link;
  need<HTMLTextAreaElement>(root, '[data-role=embed-code]').value = embedCode(sim, embedQuery(sim, state, embed), link);
}

/** The copy buttons: the link to this view, or an embed code for it; returns what to tell the reader. */
export function share(root: HTMLElement, sim: AnySimulation, state: SimState, embed: EmbedOptions | null, what: 'copy-link' | 'copy-embed'): Promise<string> {
  const link = viewLink(viewQuery(sim, state, embed));
  return what === 'copy-link'
    ? copyText(need(root, '[data-role=link]'), link, 'Link copied.')
    : copyText(need(root, '[data-role=embed-code]'), embedCode(sim, embedQuery(sim, state, embed), link), 'Embed code copied: paste it into a slide or a page.');
}

/** Copies text, or selects it for copying by hand where the clipboard is refused; returns what to tell the reader. */
export async function copyText(field: HTMLInputElement | HTMLTextAreaElement, text: string, done: string): Promise<string> {
  field.value = text;
  try {
    await navigator.clipboard.writeText(text);
    return done;
  } catch {
    // No clipboard permission (an iframe, plain http): select the text so it can be copied by hand.
    field.focus();
    field.select();
    return 'Press Ctrl+C (⌘C) to copy the selected text.';
  }
}

/**
 * Downloads one chart as a standalone SVG, or as a PNG at twice its size, captioned with the link to
 * this view; returns a problem in words, if any. The figure code loads on the first click: a reader
 * who never saves a chart never downloads it.
 */
export async function exportChart(sim: AnySimulation, state: SimState, trace: Trace, chartId: string, format: 'svg' | 'png'): Promise<string | null> {
  const spec = sim.view.charts.find((c) => c.id === chartId);
  if (!spec) return null;
  const tSec = state.tSec ?? trace.durationMs / 1000;
  const scenarioTitle = findScenario(sim, state.scenario)?.title ?? state.scenario;
  const size = { width: 960, height: 420 };
  try {
    const { download, figureFileName, standaloneChartSvg, svgToPng } = await import('../panels/chart-export.ts');
    const svg = standaloneChartSvg(sim, spec, trace, tSec, scenarioTitle, size, { link: viewLink(viewQuery(sim, state, null)) });
    const name = figureFileName(sim.id, state.scenario, tSec, chartId, format);
    download(format === 'svg' ? new Blob([svg], { type: 'image/svg+xml' }) : await svgToPng(svg, size, 2), name);
    return null;
  } catch (error) {
    return `The figure could not be saved: ${(error as Error).message}.`;
  }
}
