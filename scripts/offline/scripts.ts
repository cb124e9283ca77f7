/**
 * The archive's scripts. Chrome refuses module scripts from a file:// page, so each module script
 * of a built page is replaced by a classic script that esbuild builds from the same TypeScript
 * source (the component's own <script>), dynamic imports included and without Vite's preloading
 * runtime. Nothing is listed by hand: a new component's script is found by its file name.
 */
import { build, type BuildOptions } from 'esbuild';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const SCRIPTS_DIR = '_offline';

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
 * component of that name that has one; a name that fits no component, or several, stops the bundle.
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

const COMMON: BuildOptions = {
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2022',
  write: false,
  // The pages already link their CSS; the scripts' own CSS imports add nothing here.
  loader: { '.css': 'empty' },
  logLevel: 'error',
};

/** The inline simulation worker (site/player/sim-worker-inline.ts) as one classic script's code. */
async function simWorkerSource(): Promise<string> {
  const out = await build({
    ...COMMON,
    entryPoints: [resolve('site/player/sim-worker-inline.ts')],
    // A worker has no document; sim/loaders.ts names its own address, which the inline worker never uses.
    define: { 'import.meta.env.OPSLAB_OFFLINE': 'true', 'import.meta.url': 'self.location.href' },
  });
  return out.outputFiles![0]!.text;
}

export interface ScriptOptions {
  /** PostgreSQL's worker script relative to the site's root, or '' when the archive leaves PostgreSQL out. */
  pgWorker: string;
  version: string;
}

/** Builds each component's script once, on first demand; `files` holds what was built, by path in the archive. */
export function classicScripts(options: ScriptOptions) {
  const built = new Map<string, string>();
  const files = new Map<string, Uint8Array>();
  let components: Map<string, string[]> | null = null;
  let workerSource: Promise<string> | null = null;

  /** The path (from the archive's root) of the classic script that replaces script `index` of `component`. */
  async function scriptFor(component: string, index: number): Promise<string> {
    const key = `${component}#${index}`;
    const known = built.get(key);
    if (known) return known;
    components ??= astroFiles();
    workerSource ??= simWorkerSource();
    const source = scriptSource(component, index, components);
    const name = `${SCRIPTS_DIR}/${component.replace(/\.astro$/, '').toLowerCase()}${index > 0 ? `-${index}` : ''}.js`;
    const out = await build({
      ...COMMON,
      stdin: { contents: source.contents, resolveDir: source.resolveDir, sourcefile: source.file, loader: 'ts' },
      define: {
        'import.meta.env.BASE_URL': JSON.stringify('/'),
        'import.meta.env.OPSLAB_OFFLINE': 'true',
        'import.meta.env.OPSLAB_SIM_WORKER_SOURCE': JSON.stringify(await workerSource),
        'import.meta.env.OPSLAB_PG_WORKER': JSON.stringify(options.pgWorker),
        'import.meta.env.OPSLAB_VERSION': JSON.stringify(options.version),
        'import.meta.url': 'document.baseURI',
      },
    });
    files.set(name, out.outputFiles![0]!.contents);
    built.set(key, name);
    return name;
  }

  return { scriptFor, files };
}
