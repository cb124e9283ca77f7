/**
 * The search page: Pagefind's index (built into pagefind/ after the site) and
 * a plain accessible form. The index is found relative to this page, so search
 * works at the root, under a sub-path and in the unpacked offline folder when
 * it is served; from file:// the browser will not load it, and the page says so
 * without trying.
 *
 * The address carries the query (/search/?q=syn), so a search can be linked and reloaded.
 */
import { holdsEveryTerm } from './search-match.ts';

type PagefindResult = { data(): Promise<{ url: string; excerpt: string; content: string; meta: { title?: string } }> };
type Pagefind = {
  options(o: { baseUrl: string; noWorker?: boolean }): Promise<void>;
  search(q: string): Promise<{ results: PagefindResult[] }>;
};

const form = document.querySelector<HTMLFormElement>('#search-form')!;
const input = document.querySelector<HTMLInputElement>('#search-input')!;
const status = document.querySelector<HTMLElement>('#search-status')!;
const list = document.querySelector<HTMLOListElement>('#search-results')!;
const root = new URL('../', window.location.href);

let pagefind: Pagefind | null = null;
/** Opened from a file (the unpacked archive, double-clicked): browsers will not load the index from disk, so search says so at once and takes no input. */
const fromFile = window.location.protocol === 'file:';
const ready = fromFile
  ? Promise.resolve((status.textContent = 'Search needs the folder to be served (for example with python3 -m http.server inside it; see START-HERE.txt); every other page works from a file.'))
  : import(/* @vite-ignore */ new URL('pagefind/pagefind.js', root).href)
      .then(async (module: Pagefind) => {
        // No worker: the index is a dozen pages, and the build leaves the worker script out (index-search.mjs).
        await module.options({ baseUrl: root.pathname, noWorker: true });
        pagefind = module;
        input.disabled = false;
        status.textContent = 'Type a word: SYN, cookie, jitter, backlog…';
      })
      .catch(() => {
        status.textContent = 'The search index is missing from this copy of the site.';
      });

/** The query into the address, without a new history entry per keystroke. */
function remember(query: string): void {
  const url = new URL(window.location.href);
  if (query) url.searchParams.set('q', query);
  else url.searchParams.delete('q');
  history.replaceState(null, '', url);
}

let latest = 0;
async function run(): Promise<void> {
  await ready;
  if (!pagefind) return;
  const query = input.value.trim();
  const mine = ++latest;
  remember(query);
  if (!query) {
    list.replaceChildren();
    status.textContent = '';
    return;
  }
  const found = await pagefind.search(query);
  const all = (await Promise.all(found.results.map((r) => r.data()))).filter((d) => holdsEveryTerm(d.content, query));
  if (mine !== latest) return; // A newer query is already on its way.
  const data = all.slice(0, 10);
  list.replaceChildren(
    ...data.map((d) => {
      const li = document.createElement('li');
      const a = Object.assign(document.createElement('a'), { href: d.url, textContent: d.meta.title ?? d.url });
      const p = document.createElement('p');
      // Pagefind's excerpt is text with <mark> around the matches; keep only those marks.
      p.innerHTML = d.excerpt.replace(/<(?!\/?mark>)[^>]*>/g, '');
      li.append(a, p);
      return li;
    }),
  );
  status.textContent =
    all.length === 0
      ? `No results for “${query}”.`
      : `${all.length} ${all.length === 1 ? 'page' : 'pages'} found${all.length > 10 ? ', the first 10 shown' : ''}.`;
}

input.disabled = true;
// Opening /search/?q=syn runs that search.
const linked = new URLSearchParams(window.location.search).get('q');
if (linked) {
  input.value = linked;
  void run();
}
input.addEventListener('input', () => void run());
form.addEventListener('submit', (e) => {
  e.preventDefault();
  void run();
});

// A module, not a global script: its names stay its own.
export {};
