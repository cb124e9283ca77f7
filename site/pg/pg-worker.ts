/// <reference lib="webworker" />
/**
 * PostgreSQL in a Web Worker, loaded only when a reader asks for it (the
 * files are several megabytes). The worker fetches and compiles PGlite's
 * WebAssembly itself, so it works whatever MIME type a static server gives
 * .wasm, and hands the compiled modules and a dump of the seeded database
 * back to the page: after a runaway query the page terminates this worker
 * and starts another from them in well under a second.
 *
 * A reader's SQL runs one statement per call (the extended protocol refuses
 * several), inside BEGIN READ ONLY with a snapshot already taken, so nothing
 * can switch the transaction to read-write, and it is always rolled back.
 * PGlite runs on this thread, so statement_timeout cannot fire: the page's
 * timer is the timeout.
 */
import { PGlite } from '@electric-sql/pglite';
import pgliteWasmUrl from '@electric-sql/pglite/pglite.wasm?url';
import initdbWasmUrl from '@electric-sql/pglite/initdb.wasm?url';
import fsBundleUrl from '@electric-sql/pglite/pglite.data?url';
import { formatCell, type PgReply, type PgRequest, type Artifacts, ROW_CAP } from './protocol.ts';

let db: PGlite | null = null;
let chain: Promise<unknown> = Promise.resolve();

const compile = async (url: string) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not fetch ${url.split('/').pop()} (${response.status})`);
  return WebAssembly.compile(await response.arrayBuffer());
};

async function loadArtifacts(): Promise<Artifacts> {
  const [pgliteWasmModule, initdbWasmModule, fsBundle] = await Promise.all([
    compile(pgliteWasmUrl),
    compile(initdbWasmUrl),
    fetch(fsBundleUrl).then((r) => {
      if (!r.ok) throw new Error(`could not fetch the database files (${r.status})`);
      return r.blob();
    }),
  ]);
  return { pgliteWasmModule, initdbWasmModule, fsBundle };
}

async function handle(req: PgRequest): Promise<PgReply> {
  const t0 = performance.now();
  try {
    if (req.kind === 'init') {
      const fresh = !req.artifacts;
      const artifacts = req.artifacts ?? (await loadArtifacts());
      await db?.close();
      db = await PGlite.create({ ...artifacts, ...(req.dataDir ? { loadDataDir: req.dataDir } : {}) });
      if (!req.dataDir) await db.exec(req.setup);
      const version = String((await db.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v).replace(/ on wasm32.*$/, '');
      const dataDir = req.dataDir ? undefined : ((await db.dumpDataDir('none')) as Blob);
      return { id: req.id, ok: true, kind: 'ready', version, ms: performance.now() - t0, ...(fresh ? { artifacts } : {}), ...(dataDir ? { dataDir } : {}) };
    }
    if (!db) throw new Error('the database is not loaded');
    await db.exec('BEGIN READ ONLY; SELECT 1');
    try {
      const result = await db.query<Record<string, unknown>>(req.sql);
      const fields = result.fields.map((f) => f.name);
      const rows = result.rows.slice(0, ROW_CAP).map((r) => fields.map((f) => formatCell(r[f])));
      return { id: req.id, ok: true, kind: 'rows', fields, rows, total: result.rows.length, ms: performance.now() - t0 };
    } finally {
      await db.exec('ROLLBACK');
    }
  } catch (e) {
    const err = e as Error & { code?: string };
    return { id: req.id, ok: false, error: err.message, ...(err.code ? { code: err.code } : {}), ms: performance.now() - t0 };
  }
}

self.addEventListener('message', (e: MessageEvent<PgRequest>) => {
  chain = chain.then(() => handle(e.data)).then((reply) => self.postMessage(reply));
});
