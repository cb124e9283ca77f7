/**
 * The links in an article's text (`<a data-sim-link>`, site/components/SimLink.astro) and the
 * "open in the workbench" links under figures, for the whole page at once.
 *
 * A link in the text drives the nearest figure of its lesson (the last one before it, else the
 * first after; `data-fig` names one) without moving the reader. Each such click is a history
 * entry (pushState, same address), so Back undoes it: the figures the entry did not set go back
 * to where their article starts them. Without figures (a lab), a link drives the workbench and
 * brings it into view. Without JavaScript, every link is a plain link to the workbench in that state.
 */
import type { OpsPlayer } from './player-element.ts';

/** What a history entry says about figures: the query each link-driven figure shows. */
interface FigureHistory {
  opslabFigures: Record<string, { query: string; play: boolean }>;
}

let installed = false;
/** What the current history entry had links set, so Back resets only those (never a reader's own changes). */
let linked: FigureHistory['opslabFigures'] = {};

const players = (simId: string) => [...document.querySelectorAll<OpsPlayer>(`ops-player[data-sim="${CSS.escape(simId)}"]`)];

/** The figure a link drives: the one it names, else the last figure before it, else the first after; null when there is none. */
export function figureFor(link: Element, simId: string): OpsPlayer | null {
  const figures = players(simId).filter((p) => p.dataset.figure !== undefined);
  const named = link.getAttribute('data-fig');
  if (named) return figures.find((f) => f.dataset.figure === named) ?? null;
  const before = figures.filter((f) => f.compareDocumentPosition(link) & Node.DOCUMENT_POSITION_FOLLOWING);
  return before.at(-1) ?? figures[0] ?? null;
}

function figuresIn(state: unknown): FigureHistory['opslabFigures'] {
  return (state as Partial<FigureHistory> | null)?.opslabFigures ?? {};
}

function reveal(player: HTMLElement): void {
  const rect = player.getBoundingClientRect();
  if (rect.top < 0 || rect.top > window.innerHeight * 0.5) player.scrollIntoView({ behavior: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth', block: 'start' });
  player.focus({ preventScroll: true });
}

function onClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const target = e.target as Element;
  const opener = target.closest<HTMLAnchorElement>('a[data-act-link=open-workbench]');
  if (opener) return openWorkbench(e, opener);
  const link = target.closest<HTMLAnchorElement>('a[data-sim-link]');
  if (!link) return;
  const simId = link.dataset.simLink ?? '';
  const query = new URL(link.href).search;
  const play = link.hasAttribute('data-play');
  const figure = figureFor(link, simId);
  const player = figure ?? players(simId).find((p) => p.dataset.figure === undefined);
  if (!player) return;
  e.preventDefault();
  if (figure) {
    const figures = { ...figuresIn(history.state), [figure.dataset.figure!]: { query, play } };
    history.pushState({ ...(history.state as object | null), opslabFigures: figures }, '');
    linked = figures;
    void figure.showQuery(query, play);
  } else {
    history.pushState(history.state, '');
    void player.showQuery(query, play);
    reveal(player);
  }
}

/** "Open in the workbench": the workbench takes the figure's state as it is now, and comes into view. */
function openWorkbench(e: MouseEvent, opener: HTMLAnchorElement): void {
  const figure = opener.closest<OpsPlayer>('ops-player');
  const workbench = figure && players(figure.dataset.sim ?? '').find((p) => p.dataset.figure === undefined);
  if (!figure || !workbench || !figure.dataset.ready) return;
  e.preventDefault();
  history.pushState(history.state, '');
  void workbench.showQuery(figure.query());
  reveal(workbench);
}

/** Back or Forward between entries a link made: each figure shows what the entry says, or its start. */
function onPopState(e: PopStateEvent): void {
  const wanted = figuresIn(e.state);
  for (const figure of document.querySelectorAll<OpsPlayer>('ops-player[data-figure]')) {
    const id = figure.dataset.figure!;
    const entry = wanted[id];
    if (entry && entry.query !== linked[id]?.query) void figure.showQuery(entry.query);
    else if (!entry && linked[id]) void figure.backToStart();
  }
  linked = wanted;
}

export function installArticleLinks(): void {
  if (installed) return;
  installed = true;
  linked = figuresIn(history.state);
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', onPopState);
}
