/**
 * npm run bench: how fast each scenario re-runs (each timed in a process of its
 * own, bench-scenario.ts), how much memory the runner needs, how long the
 * backoff post's contention sweep takes (bench-sweep.ts),
 * how many bytes of JavaScript each built page loads, and how long a figure
 * takes in Chromium to redraw after a parameter change (bench-browser.ts).
 * Prints JSON.
 * Timings are medians over repeated runs after a warm-up; nothing here is an
 * assertion (these machines are shared and noisy).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { simulations } from '../sim/index.ts';
import { archiveName, DOWNLOADS_DIR } from '../site/archive.ts';
import { figureUpdateTimes, launchChromium } from './bench-browser.ts';
import { timedContentionSweep } from './bench-sweep.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const DIST = resolve(process.env.OPSLAB_OUT ?? 'dist');

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** One frame at 60 Hz: the budget for re-running any scenario after a change. */
const FRAME_MS = 1000 / 60;

/** One scenario's timed runs, in a fresh process that loads only its lesson (why: bench-scenario.ts). */
function timedRuns(simId: string, scenario: string): { events: number; times: number[] } {
  const child = spawnSync(process.execPath, ['scripts/bench-scenario.ts', simId, scenario, String(RUNS)], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`bench-scenario ${simId} ${scenario} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { events: number; times: number[] };
}

const scenarios = [];
for (const sim of Object.values(simulations)) {
  for (const scenario of sim.scenarios) {
    const { events, times } = timedRuns(sim.id, scenario.id);
    times.sort((a, b) => a - b);
    const medianMs = quantile(times, 0.5);
    scenarios.push({
      sim: sim.id,
      scenario: scenario.id,
      events,
      medianMs: Number(medianMs.toFixed(2)),
      p90Ms: Number(quantile(times, 0.9).toFixed(2)),
      eventsPerSec: Math.round(events / (medianMs / 1000)),
      withinOneFrame: medianMs <= FRAME_MS,
    });
  }
}

/** Peak memory of the command-line runner itself, one fresh process per scenario. */
function runnerPeakRssMB(simId: string, scenario: string): number {
  const child = spawnSync(process.execPath, ['--import', './scripts/report-rss.mjs', 'scripts/sim.ts', simId, '--scenario', scenario, '--json'], {
    encoding: 'utf8',
  });
  const match = /OPSLAB_PEAK_RSS_KB=(\d+)/.exec(child.stderr ?? '');
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}
for (const row of scenarios) Object.assign(row, { runnerPeakRssMB: runnerPeakRssMB(row.sim, row.scenario) });

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * Every script a page runs at load: its module scripts and everything they import, statically or
 * dynamically. Web Workers (`new Worker(new URL(…))`) are listed apart: the player starts its
 * worker only when the reader first interacts.
 */
function pageScripts(htmlPath: string): { files: Set<string>; inline: string[]; workers: Set<string> } {
  const html = readFileSync(htmlPath, 'utf8');
  const files = new Set<string>();
  const workers = new Set<string>();
  const inline: string[] = [];
  // The bench builds at the root, so a root-absolute URL maps straight into dist/.
  const resolveUrl = (url: string, from: string) => (url.startsWith('/') ? join(DIST, url) : resolve(dirname(from), url));
  const queue: string[] = [];
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) queue.push(resolveUrl(m[1]!, htmlPath));
  for (const m of html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) queue.push(resolveUrl(m[1]!, htmlPath));
  for (const m of html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    inline.push(m[1]!);
    for (const i of m[1]!.matchAll(/(?:import\(|from\s*|import\s*)["'`]([^"'`]+\.js)["'`]/g)) queue.push(resolveUrl(i[1]!, htmlPath));
  }
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file) || !statSync(file, { throwIfNoEntry: false })) continue;
    files.add(file);
    const js = readFileSync(file, 'utf8');
    for (const w of js.matchAll(/new Worker\(new URL\(["'`]([^"'`]+\.js)["'`]/g)) workers.add(resolveUrl(w[1]!, file));
    for (const i of js.matchAll(/(?:import\(|from\s*|import\s*)["'`]([^"'`]+\.js)["'`]/g)) queue.push(resolveUrl(i[1]!, file));
  }
  return { files, inline, workers };
}

const pages = [];
let siteBytes = 0;
/** PostgreSQL for the pagination lesson's live console: fetched only when a reader presses its button, so it is counted apart. */
const onDemandPostgres = { files: 0, bytes: 0, gzipBytes: 0 };
/**
 * The PostgreSQL worker and every file only it reaches (PGlite's WebAssembly and data, its file
 * system modules): what the live console's button downloads, and nothing a page loads otherwise.
 */
function onDemandPostgresFiles(all: readonly string[]): Set<string> {
  // Chunks and assets have unique hashed names, so a reference by any path is a reference by name.
  const byName = new Map(all.map((f) => [f.split(/[\\/]/).pop()!, f]));
  const refs = (file: string) =>
    [...readFileSync(file, 'utf8').matchAll(/["'`](?:[^"'`\s]*\/)?([\w.-]+\.(?:js|wasm|data))["'`]/g)].map((m) => byName.get(m[1]!)).filter((f): f is string => f !== undefined);
  const roots = all.filter((f) => /[\\/]_astro[\\/]pg-worker-[^/]*\.js$/.test(f));
  const reached = new Set(roots);
  for (const file of reached) if (file.endsWith('.js')) for (const r of refs(file)) reached.add(r);
  // Anything that some other page or chunk also loads is not PostgreSQL's alone (the console's
  // script names the worker, which is what the button starts).
  for (const file of all.filter((f) => !reached.has(f) && /\.(js|html)$/.test(f))) for (const r of refs(file)) if (!roots.includes(r)) reached.delete(r);
  return reached;
}
try {
  // The published offline archive is counted on its own (offlineArchiveBytes), not as the site.
  const all = walk(DIST).filter((f) => !relative(DIST, f).startsWith(DOWNLOADS_DIR));
  const postgresOnly = onDemandPostgresFiles(all);
  const isOnDemandPostgres = (f: string) => postgresOnly.has(f);
  for (const f of all) {
    if (isOnDemandPostgres(f)) {
      onDemandPostgres.files++;
      onDemandPostgres.bytes += statSync(f).size;
      onDemandPostgres.gzipBytes += gzipSync(readFileSync(f), { level: 9 }).length;
    } else siteBytes += statSync(f).size;
  }
  for (const html of all.filter((f) => f.endsWith('.html'))) {
    const { files, inline, workers } = pageScripts(html);
    const js = [...files].map((f) => readFileSync(f)).concat(inline.map((s) => Buffer.from(s)));
    const gz = (bufs: Buffer[]) => bufs.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
    pages.push({
      page: `/${relative(DIST, html).replace(/index\.html$/, '')}`,
      scripts: files.size + inline.length,
      jsBytes: js.reduce((n, b) => n + b.length, 0),
      jsGzipBytesBeforeInteraction: gz(js),
      workerGzipBytesOnFirstInteraction: gz([...workers].map((f) => readFileSync(f))),
    });
  }
} catch (error) {
  pages.push({ error: `no built site in ${DIST} (${(error as Error).message}); run npm run build first` });
}

/**
 * The JavaScript a page really loads, measured in Chromium: what it fetches until its player is
 * ready (before the reader interacts), and what the first interaction adds (the worker).
 * Falls back to the static estimate above when Chromium is not installed.
 */
async function measuredPages(): Promise<unknown[] | null> {
  if (!existsSync('/usr/bin/chromium')) return null;
  const { serveStatic } = await import('./static-server.ts');
  const server = serveStatic(DIST, '/');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const browser = await launchChromium();
  // What crossed the wire, counted where it is served: a script the browser read from its cache
  // (the worker's imports of the page's own chunks; hashed files are served immutable, as hosts
  // do) costs the reader nothing and is not counted.
  // Every file is counted as a host would send it: text gzipped, images and WebAssembly as they are.
  const files: { url: string; script: boolean; wireBytes: number; phase: 'load' | 'interaction' }[] = [];
  let phase: 'load' | 'interaction' = 'load';
  server.on('request', (req: { url?: string }) => {
    const url = req.url ?? '';
    let file = join(DIST, decodeURIComponent(new URL(url, 'http://localhost').pathname));
    if (file.endsWith('/')) file = join(file, 'index.html');
    if (!existsSync(file) || statSync(file).isDirectory()) return;
    const body = readFileSync(file);
    const text = /\.(html|css|m?js|svg|json|txt|xml|webmanifest)$/.test(file);
    files.push({ url, script: /\.m?js$/.test(file), wireBytes: text ? gzipSync(body, { level: 9 }).length : body.length, phase });
  });
  const rows = [];
  try {
    for (const html of walk(DIST).filter((f) => f.endsWith('.html') && !f.endsWith('404.html'))) {
      const path = `/${relative(DIST, html).replace(/index\.html$/, '')}`;
      const context = await browser.newContext();
      const page = await context.newPage();
      files.length = 0;
      phase = 'load';
      await page.goto(`http://127.0.0.1:${port}${path}`, { waitUntil: 'load' });
      const hasPlayer = (await page.locator('ops-player').count()) > 0;
      if (hasPlayer) await page.waitForSelector('ops-player[data-ready=true]', { timeout: 15_000 });
      await page.waitForTimeout(300);
      if (hasPlayer) {
        phase = 'interaction';
        await page.locator('ops-player').first().focus();
        await page.waitForTimeout(800);
      }
      const sum = (p: string, scriptsOnly: boolean) => files.filter((f) => f.phase === p && (f.script || !scriptsOnly)).reduce((n, f) => n + f.wireBytes, 0);
      const jsBefore = sum('load', true);
      const firstView = sum('load', false);
      rows.push({
        page: path,
        scriptsBeforeInteraction: files.filter((f) => f.phase === 'load' && f.script).length,
        jsGzipBytesBeforeInteraction: jsBefore,
        jsGzipBytesOnFirstInteraction: sum('interaction', true),
        // Everything the first view fetched: the page, its styles, scripts and images.
        firstViewWireBytes: firstView,
        overBudget: [
          ...(jsBefore > BUDGET.jsBeforeInteractionBytes ? [`JavaScript before interaction ${jsBefore} B > ${BUDGET.jsBeforeInteractionBytes} B`] : []),
          ...(firstView > BUDGET.firstViewBytes ? [`first view ${firstView} B > ${BUDGET.firstViewBytes} B`] : []),
        ],
      });
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return rows;
}

/** The page-weight budgets (gzip, as a host sends them), reported per page; the README states them. */
const BUDGET = { jsBeforeInteractionBytes: 80 * 1024, firstViewBytes: 150 * 1024, offlineArchiveBytesPerLesson: 200 * 1024 } as const;

const contention = await timedContentionSweep();

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const archivePath = join(DIST, DOWNLOADS_DIR, archiveName(version, false));
const archiveBytes = existsSync(archivePath) ? statSync(archivePath).size : null;
const measured = await measuredPages().catch((error: Error) => [{ error: `measuring in Chromium failed: ${error.message}` }]);
const figureUpdates = existsSync('/usr/bin/chromium')
  ? await figureUpdateTimes(DIST, Object.keys(simulations)).catch((error: Error) => [{ error: `timing figures in Chromium failed: ${error.message}` }])
  : null;

const archivePerLesson = archiveBytes === null ? null : Math.round(archiveBytes / Object.keys(simulations).length);
console.log(
  JSON.stringify(
    {
      node: process.version,
      runsPerScenario: RUNS,
      scenarios,
      contentionSweep: contention,
      // From a figure's parameter change to its redrawn charts, in Chromium (the run in the page's worker), beside the same runs in Node.
      figureUpdatesInChromium: figureUpdates,
      benchProcessPeakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      pages: measured ?? pages,
      pagesMeasuredIn: measured ? 'chromium' : 'static analysis of dist/ (every dynamic import counted)',
      siteBytes,
      onDemandPostgres,
      offlineArchiveBytes: archiveBytes,
      offlineArchiveBytesPerLesson: archivePerLesson,
      budgets: {
        ...BUDGET,
        frameMs: Number(FRAME_MS.toFixed(1)),
        scenariosOverOneFrame: scenarios.filter((r) => !r.withinOneFrame).map((r) => `${r.sim}/${r.scenario} ${r.medianMs} ms`),
        pagesOverBudget: (measured ?? []).filter((r) => (r as { overBudget?: string[] }).overBudget?.length).map((r) => r as { page: string; overBudget: string[] }),
        // The measured share beside the budget above it (BUDGET.offlineArchiveBytesPerLesson), not in its place.
        offlineArchiveOverBudget: archivePerLesson !== null && archivePerLesson > BUDGET.offlineArchiveBytesPerLesson,
      },
    },
    null,
    2,
  ),
);
