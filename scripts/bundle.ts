/**
 * npm run bundle: the whole site as one zip for a room with no internet.
 * Unpacked anywhere, it works from any static server under any path, and by
 * double-clicking index.html (file://).
 *
 * The normal build is not enough for file://: its links are root-absolute,
 * and Chrome refuses module scripts from a file:// page. So this step takes
 * the build in dist-offline/ and
 *   1. replaces each page's module scripts with a classic script built by
 *      esbuild from the same TypeScript source (the component's own <script>), dynamic
 *      imports included, and without Vite's preloading runtime;
 *   2. rewrites every root-absolute URL to a relative one, pointing directory
 *      links at their index.html (file:// has no directory index);
 *   3. zips the folder as opslab/ into opslab-offline.zip.
 * There is no simulation worker in the bundle (it could not start from
 * file://): the player runs simulations in the page, as it does before the
 * first interaction anyway.
 */
import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';

const OUT = resolve(process.env.OPSLAB_OUT ?? 'dist-offline');
const ZIP = resolve(process.env.OPSLAB_ZIP ?? 'opslab-offline.zip');
const OFFLINE_DIR = '_offline';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Every .astro file under site/, by file name (several may share one, such as index.astro). */
function astroFiles(): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const file of walk(resolve('site'))) {
    if (!file.endsWith('.astro')) continue;
    const name = file.split(/[\\/]/).pop()!;
    byName.set(name, [...(byName.get(name) ?? []), file]);
  }
  return byName;
}

/** The processed (not `is:inline`) <script> blocks of a component, in order: what Astro numbers `index_0`, `index_1`... */
function componentScripts(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    if (/\bis:inline\b|\bsrc=/.test(m[1]!)) continue;
    out.push(m[2]!);
  }
  return out;
}

/**
 * The source of a page script Astro built, found from its file name
 * (`<Component>.astro_astro_type_script_index_<n>_lang.<hash>.js`): the n-th script of the one
 * component of that name that has one. Nothing is listed by hand, so a new component's script is
 * bundled without a change here; a name that fits no component, or several, stops the bundle.
 */
function scriptSource(component: string, index: number, byName: Map<string, string[]>): { contents: string; resolveDir: string; file: string } {
  const candidates = (byName.get(component) ?? []).flatMap((file) => {
    const script = componentScripts(readFileSync(file, 'utf8'))[index];
    return script === undefined ? [] : [{ contents: script, resolveDir: dirname(file), file }];
  });
  if (candidates.length !== 1) {
    throw new Error(`bundle: script ${index} of ${component} matches ${candidates.length} components (${candidates.map((c) => c.file).join(', ') || 'none'})`);
  }
  return candidates[0]!;
}

const bundled = new Map<string, string>();
let components: Map<string, string[]> | null = null;

async function classicScript(component: string, index: number): Promise<string> {
  const key = `${component}#${index}`;
  const known = bundled.get(key);
  if (known) return known;
  components ??= astroFiles();
  const source = scriptSource(component, index, components);
  const name = `${OFFLINE_DIR}/${component.replace(/\.astro$/, '').toLowerCase()}${index > 0 ? `-${index}` : ''}.js`;
  await build({
    stdin: { contents: source.contents, resolveDir: source.resolveDir, sourcefile: source.file, loader: 'ts' },
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'es2022',
    outfile: join(OUT, name),
    // The pages already link their CSS; the scripts' own CSS imports add nothing here.
    loader: { '.css': 'empty' },
    define: {
      'import.meta.env.BASE_URL': JSON.stringify('/'),
      'import.meta.env.OPSLAB_OFFLINE': 'true',
      'import.meta.url': 'document.baseURI',
    },
    logLevel: 'error',
  });
  bundled.set(key, `/${name}`);
  return `/${name}`;
}

/** A root-absolute URL as seen from a page at `pagePath` (relative to OUT), with directory links made explicit. */
function relativeUrl(url: string, pagePath: string): string {
  // The query and the fragment stay as they are (split once: a link may carry both).
  const at = url.search(/[?#]/);
  const [path, rest] = at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at)];
  let target = path;
  if (target.endsWith('/')) target += 'index.html';
  const fromDir = posix.dirname(`/${pagePath}`);
  const rel = posix.relative(fromDir, target) || posix.basename(target);
  return `${rel.startsWith('.') ? rel : `./${rel}`}${rest}`;
}

async function offlinePage(file: string): Promise<void> {
  const pagePath = relative(OUT, file).split('\\').join('/');
  let html = readFileSync(file, 'utf8');

  // Each module script becomes the classic, deferred script built from its source.
  for (const m of [...html.matchAll(/<script type="module" src="[^"]*\/([A-Za-z0-9_-]+\.astro)_astro_type_script_index_(\d+)[^"]*"[^>]*><\/script>/g)]) {
    html = html.replace(m[0], `<script defer src="${await classicScript(m[1]!, Number(m[2]))}"></script>`);
  }
  if (/<script type="module"/.test(html)) throw new Error(`bundle: ${pagePath} has a module script the bundle does not know how to replace`);
  // Module preloads mean nothing to classic scripts.
  html = html.replace(/<link rel="modulepreload"[^>]*>/g, '');
  // Every root-absolute URL in an attribute becomes relative to this page.
  html = html.replace(/\b(href|src|action)="(\/(?!\/)[^"]*)"/g, (_all, attr: string, url: string) => `${attr}="${relativeUrl(url, pagePath)}"`);
  writeFileSync(file, html);
}

async function main(): Promise<void> {
  mkdirSync(join(OUT, OFFLINE_DIR), { recursive: true });
  const pages = walk(OUT).filter((f) => f.endsWith('.html'));
  for (const page of pages) await offlinePage(page);

  const files: Record<string, Uint8Array> = {};
  for (const file of walk(OUT)) {
    const rel = relative(OUT, file).split('\\').join('/');
    // The module chunks are no longer loaded by any page; the classic bundles replaced them.
    if (rel.startsWith('_astro/') && rel.endsWith('.js')) continue;
    // PostgreSQL for the live console (several megabytes) stays online; the console says so offline.
    if (rel.startsWith('_astro/') && /\.(wasm|data)$/.test(rel)) continue;
    files[`opslab/${rel}`] = readFileSync(file);
  }
  const zip = zipSync(files, { level: 9 });
  mkdirSync(dirname(ZIP), { recursive: true });
  writeFileSync(ZIP, zip);
  console.log(`Wrote ${relative(process.cwd(), ZIP)}: ${pages.length} pages, ${Object.keys(files).length} files, ${(zip.length / 1024).toFixed(0)} kB.`);
  console.log('Unpack it, then serve the opslab/ folder with any static server, or open opslab/index.html directly.');
}

await main();
