/**
 * <pg-console>: the "run it live" part of the real-plans section. Nothing of
 * PostgreSQL is fetched until the reader presses the button; then a worker
 * (pg-worker.ts) loads PGlite, seeds the chosen scenario's table, and runs
 * the reader's SELECTs read-only. A query that has not answered in
 * QUERY_TIMEOUT_MS is stopped the only way a single-threaded WebAssembly
 * database can be: the worker is terminated and a new one starts from the
 * compiled modules and a dump of the seeded database.
 */
import { esc } from '../charts/escape.ts';
import { MAX_SQL_CHARS, QUERY_TIMEOUT_MS, type Artifacts, type PgReply, type PgRequest } from './protocol.ts';
import { archiveName } from '../archive.ts';
import { siteRoot } from '../player/site-root.ts';

interface LiveTable {
  scenario: string;
  title: string;
  rows: number;
  setup: string;
  queries: string[];
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;


class PgConsole extends HTMLElement {
  private tables: LiveTable[] = [];
  private worker: Worker | null = null;
  private artifacts: Artifacts | undefined;
  private dataDir: Blob | undefined;
  private nextId = 1;
  private pending = new Map<number, (reply: PgReply) => void>();
  private busy = false;

  connectedCallback(): void {
    this.tables = JSON.parse(this.dataset.tables ?? '[]') as LiveTable[];
    const missing = whyNotHere(this.dataset.downloadMb ?? '');
    if (missing) {
      // Said at once, with no button to press: the plans above stay, and need nothing more.
      this.q('[data-act=load]').remove();
      this.q('[data-role=offer]').hidden = true;
      // Information, not a failure: nothing was tried.
      this.status(missing);
      return;
    }
    this.q('[data-act=load]').addEventListener('click', () => void this.load());
    this.q('[data-act=run]').addEventListener('click', () => void this.run());
    this.q('[data-act=reset]').addEventListener('click', () => void this.seed(true));
    this.q<HTMLSelectElement>('[data-role=table]').addEventListener('change', () => {
      this.fillExamples();
      void this.seed(true);
    });
    this.q<HTMLSelectElement>('[data-role=examples]').addEventListener('change', (e) => {
      this.q<HTMLTextAreaElement>('[data-role=sql]').value = (e.target as HTMLSelectElement).value;
    });
    this.q<HTMLTextAreaElement>('[data-role=sql]').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void this.run();
      }
    });
  }

  private q<T extends HTMLElement = HTMLElement>(sel: string): T {
    return this.querySelector<T>(sel)!;
  }

  /** Messages go under the query box once it is showing, and under the load button before. */
  private status(text: string, tone: 'info' | 'error' = 'info'): void {
    const live = !this.q('[data-role=live]').hidden;
    this.q(live ? '[data-role=load-status]' : '[data-role=status]').textContent = '';
    const el = this.q(live ? '[data-role=status]' : '[data-role=load-status]');
    el.textContent = text;
    el.dataset.tone = tone;
  }

  private table(): LiveTable {
    return this.tables[this.q<HTMLSelectElement>('[data-role=table]').selectedIndex] ?? this.tables[0]!;
  }

  private fillExamples(): void {
    const t = this.table();
    this.q('[data-role=examples]').innerHTML = t.queries.map((sql, i) => `<option value="${esc(sql)}">${i === 0 ? 'first page' : 'last page fetched'}: ${esc(sql.slice(0, 60))}…</option>`).join('');
    this.q<HTMLTextAreaElement>('[data-role=sql]').value = t.queries[0] ?? '';
  }

  private startWorker(): void {
    this.worker?.terminate();
    const archived = import.meta.env.OPSLAB_PG_WORKER;
    // The archive with PostgreSQL keeps the worker Vite built, under the archive's root, wherever that is served.
    this.worker = archived ? new Worker(new URL(archived, siteRoot()), { type: 'module' }) : new Worker(new URL('./pg-worker.ts', import.meta.url), { type: 'module' });
    this.worker.addEventListener('message', (e: MessageEvent<PgReply>) => {
      this.pending.get(e.data.id)?.(e.data);
      this.pending.delete(e.data.id);
    });
    this.worker.addEventListener('error', () => this.status('The database could not start in this browser.', 'error'));
  }

  private send(req: WithoutId<PgRequest>): Promise<PgReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker!.postMessage({ ...req, id } as PgRequest);
    });
  }

  private async load(): Promise<void> {
    this.q<HTMLButtonElement>('[data-act=load]').disabled = true;
    this.q('[data-role=live]').hidden = false;
    this.fillExamples();
    await this.seed(false);
  }

  /** Seeds the chosen table in a fresh database; after a timeout, restarts from the dump instead. */
  private async seed(fresh: boolean): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.setControls(false);
    const t = this.table();
    this.status(this.artifacts ? `Seeding ${t.rows.toLocaleString('en')} rows…` : 'Loading PostgreSQL (the first time takes a few seconds)…');
    if (fresh) this.dataDir = undefined;
    this.startWorker();
    const reply = await this.send({ kind: 'init', setup: t.setup, ...(this.artifacts ? { artifacts: this.artifacts } : {}), ...(this.dataDir ? { dataDir: this.dataDir } : {}) });
    this.busy = false;
    if (!reply.ok) {
      this.status(`PostgreSQL did not start: ${reply.error}`, 'error');
      return;
    }
    if (reply.kind === 'ready') {
      this.artifacts ??= reply.artifacts;
      this.dataDir ??= reply.dataDir;
      this.q('[data-role=version]').textContent = reply.version;
      this.status(`Ready: ${reply.version}, table items with ${t.rows.toLocaleString('en')} rows for “${t.title}”. Run a SELECT.`);
    }
    this.setControls(true);
  }

  private setControls(on: boolean): void {
    for (const sel of ['[data-act=run]', '[data-act=reset]', '[data-role=table]', '[data-role=examples]']) this.q<HTMLButtonElement>(sel).disabled = !on;
  }

  private async run(): Promise<void> {
    if (this.busy || !this.worker) return;
    const sql = this.q<HTMLTextAreaElement>('[data-role=sql]').value.trim();
    if (!sql) return this.status('Type a query first.', 'error');
    if (sql.length > MAX_SQL_CHARS) return this.status(`That query is ${sql.length} characters long; the console takes up to ${MAX_SQL_CHARS}.`, 'error');
    this.busy = true;
    this.setControls(false);
    this.status('Running…');
    let timer = 0;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = window.setTimeout(() => resolve('timeout'), QUERY_TIMEOUT_MS)));
    const reply = await Promise.race([this.send({ kind: 'query', sql }), timedOut]);
    window.clearTimeout(timer);
    this.busy = false;
    if (reply === 'timeout') {
      this.pending.clear();
      this.q('[data-role=result]').innerHTML = '';
      await this.seed(false);
      this.status(`Stopped after ${QUERY_TIMEOUT_MS / 1000} s: the query ran too long, so the database was restarted from its seeded copy. Add a LIMIT or a narrower WHERE.`, 'error');
      return;
    }
    this.setControls(true);
    if (!reply.ok) {
      this.q('[data-role=result]').innerHTML = '';
      const readOnly = reply.code === '25006' ? ' This console is read-only: every query runs in a read-only transaction that is rolled back.' : '';
      this.status(`ERROR: ${reply.error}${reply.code ? ` (SQLSTATE ${reply.code})` : ''}.${readOnly}`, 'error');
      return;
    }
    if (reply.kind !== 'rows') return;
    const head = `<tr>${reply.fields.map((f) => `<th scope="col">${esc(f)}</th>`).join('')}</tr>`;
    const body = reply.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
    this.q('[data-role=result]').innerHTML = reply.fields.length
      ? `<table class="data pg-result"><caption>Result${reply.total > reply.rows.length ? `: the first ${reply.rows.length} of ${reply.total} rows` : ''}</caption><thead>${head}</thead><tbody>${body}</tbody></table>`
      : '';
    const n = reply.total;
    this.status(`${n} row${n === 1 ? '' : 's'} in ${Math.round(reply.ms)} ms${n > reply.rows.length ? `, ${reply.rows.length} shown` : ''}.`);
  }
}

/**
 * Why the live database cannot run on this page, or null when it can. The offline archive leaves
 * it out unless built with it (it would multiply the zip's size); and even then it needs the folder
 * served, as a page opened from disk can start no worker from a file.
 */
function whyNotHere(downloadMB: string): string | null {
  if (!import.meta.env.OPSLAB_OFFLINE) return null;
  const plansNeedNothing = 'The plans above are real and need nothing more.';
  if (!import.meta.env.OPSLAB_PG_WORKER) {
    const withPg = archiveName(import.meta.env.OPSLAB_VERSION ?? '', true);
    return `This offline archive leaves out the live PostgreSQL console (${downloadMB} MB). ${plansNeedNothing} To run your own queries, use the online site, or the archive ${withPg}, built from the source with OPSLAB_WITH_PG=1 npm run bundle and served from a folder.`;
  }
  if (location.protocol === 'file:') {
    return `The live PostgreSQL console is in this archive, but it starts only when the folder is served (python3 -m http.server 8000 inside it; see START-HERE.txt), not from a double-clicked file. ${plansNeedNothing}`;
  }
  return null;
}

if (!customElements.get('pg-console')) customElements.define('pg-console', PgConsole);
