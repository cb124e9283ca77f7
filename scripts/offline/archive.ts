/**
 * The offline archive, made from the site as built (dist/): no second build. Unpacked anywhere,
 * it works from any static server under any path, and by double-clicking opslab/index.html.
 * Its files, by path in the zip:
 *   START-HERE.txt   what to do with it, in plain words
 *   opslab/...       every page, made relative and given classic scripts (pages.ts, scripts.ts);
 *                    the download block says where to get the latest archive, as the archive
 *                    cannot know its own hash
 * PostgreSQL for the pagination lesson's live console (several megabytes) goes in only when asked
 * (`withPostgres`); without it the console says at once that this archive lacks it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { archiveName, DOWNLOADS_DIR } from '../../site/archive.ts';
import { fillArchiveDownload, offlineWorkerPolicy, relativeAddresses, siblingAddresses } from './pages.ts';
import { classicScripts } from './scripts.ts';

export interface ArchiveOptions {
  /** The built site. */
  site: string;
  /** The base path the site was built for (OPSLAB_BASE). */
  base: string;
  version: string;
  withPostgres: boolean;
}


function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** PostgreSQL's worker as Vite built it (the console starts it from there when the archive is served). */
function pgWorkerIn(site: string): string {
  const name = readdirSync(join(site, '_astro')).find((f) => /^pg-worker-.*\.js$/.test(f));
  if (!name) throw new Error(`bundle: no PostgreSQL worker in ${site}/_astro`);
  return `_astro/${name}`;
}

/** What stays out of the archive: the site's own downloads, and the module chunks the classic scripts replace, PostgreSQL unless asked. */
function leftOut(path: string, withPostgres: boolean): boolean {
  if (path.startsWith(DOWNLOADS_DIR)) return true;
  // PostgreSQL's worker is a module that imports its chunks and its WebAssembly from _astro/, as built.
  if (withPostgres) return false;
  return path.startsWith('_astro/') && /\.(js|wasm|data)$/.test(path);
}

function startHere(options: ArchiveOptions): string {
  const postgres = options.withPostgres
    ? "THE LIVE POSTGRESQL CONSOLE\n  The pagination lesson's live PostgreSQL console is in this archive. It\n  needs the folder served, like search."
    : `THE LIVE POSTGRESQL CONSOLE\n  The pagination lesson shows PostgreSQL's real plans, but its live console\n  (several MB more) is not in this archive. ${archiveName(options.version, true)}\n  has it: build it with OPSLAB_WITH_PG=1 npm run bundle, or use the online site.`;
  return readFileSync(new URL('./START-HERE.txt', import.meta.url), 'utf8')
    .replaceAll('@@VERSION@@', options.version)
    .replaceAll('@@PG_SUFFIX@@', options.withPostgres ? '-with-postgres' : '')
    .replace('@@POSTGRES@@', postgres);
}

/** Every file of the archive, by its path in the zip. */
export async function offlineArchive(options: ArchiveOptions): Promise<Record<string, Uint8Array>> {
  const { site, base, withPostgres } = options;
  const scripts = classicScripts({ pgWorker: withPostgres ? pgWorkerIn(site) : '', version: options.version });
  const files: Record<string, Uint8Array> = { 'START-HERE.txt': new TextEncoder().encode(startHere(options)) };
  for (const file of walk(site)) {
    const path = relative(site, file).split('\\').join('/');
    if (leftOut(path, withPostgres)) continue;
    if (path.startsWith('_astro/') && path.endsWith('.js')) {
      files[`opslab/${path}`] = new TextEncoder().encode(siblingAddresses(readFileSync(file, 'utf8'), base));
      continue;
    }
    if (!path.endsWith('.html')) {
      files[`opslab/${path}`] = readFileSync(file);
      continue;
    }
    let html = readFileSync(file, 'utf8');
    // A page already showing the site's download link would carry it, dead, into the archive.
    if (html.includes('data-archive-download="published"')) throw new Error(`bundle: ${path} was published already; make the archive from a fresh build (npm run build)`);
    // Each module script becomes the classic, deferred script built from its source.
    for (const m of [...html.matchAll(/<script type="module" src="[^"]*\/([A-Za-z0-9_-]+\.astro)_astro_type_script_index_(\d+)[^"]*"[^>]*><\/script>/g)]) {
      html = html.replace(m[0], `<script defer src="${base}${await scripts.scriptFor(m[1]!, Number(m[2]))}"></script>`);
    }
    if (/<script type="module"/.test(html)) throw new Error(`bundle: ${path} has a module script the bundle does not know how to replace`);
    // Module preloads mean nothing to classic scripts.
    html = html.replace(/<link rel="modulepreload"[^>]*>/g, '');
    html = relativeAddresses(html, path, base);
    html = offlineWorkerPolicy(html, withPostgres && html.includes('<pg-console'));
    html = fillArchiveDownload(html, 'archived', null);
    files[`opslab/${path}`] = new TextEncoder().encode(html);
  }
  for (const [path, code] of scripts.files) files[`opslab/${path}`] = code;
  return files;
}
