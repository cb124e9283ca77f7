/**
 * The search page: Pagefind's index (built into pagefind/ after the site) and
 * a plain accessible form. The index is found relative to this page, so search
 * works at the root, under a sub-path and in the unpacked offline folder when
 * it is served; from file:// the browser will not load it, and the page says so.
 */
type PagefindResult = { data(): Promise<{ url: string; excerpt: string; meta: { title?: string } }> };
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
const ready = import(/* @vite-ignore */ new URL('pagefind/pagefind.js', root).href)
  .then(async (module: Pagefind) => {
    // No worker: the index is a dozen pages, and the build leaves the worker script out (index-search.mjs).
    await module.options({ baseUrl: root.pathname, noWorker: true });
    pagefind = module;
    input.disabled = false;
    status.textContent = 'Type a word: SYN, cookie, jitter, backlog…';
  })
  .catch(() => {
    status.textContent =
      window.location.protocol === 'file:'
        ? 'Search needs the folder to be served (for example with python3 -m http.server); every other page works from a file.'
        : 'The search index is missing from this copy of the site.';
  });

let latest = 0;
async function run(): Promise<void> {
  await ready;
  if (!pagefind) return;
  const query = input.value.trim();
  const mine = ++latest;
  if (!query) {
    list.replaceChildren();
    status.textContent = '';
    return;
  }
  const found = await pagefind.search(query);
  const data = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  if (mine !== latest) return; // A newer query is already on its way.
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
  status.textContent = `${found.results.length} ${found.results.length === 1 ? 'page' : 'pages'} found${found.results.length > 10 ? ', the first 10 shown' : ''}.`;
}

input.disabled = true;
input.addEventListener('input', () => void run());
form.addEventListener('submit', (e) => {
  e.preventDefault();
  void run();
});

// A module, not a global script: its names stay its own.
export {};
