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

/**
 * The archive's simulation worker is the player's own script. Chromium starts no worker from a
 * file:// address, and the page cannot read its own script file, so a script that starts the worker
 * (site/player/worker-start.ts) is wrapped in one named function: the page calls it, and hands its
 * source text (Function.prototype.toString) to a Blob URL, where the same code finds no document and
 * serves simulations instead. One copy of the models in the archive, not one for the page and a
 * second, as a string, for the worker.
 */
const BUNDLE_FUNCTION = 'opslabBundle';
/** The global that holds the worker's source; worker-start.ts reads it as import.meta.env.OPSLAB_SIM_WORKER_SOURCE. */
const WORKER_SOURCE_GLOBAL = 'opslabWorkerSource';

/** An entry that serves simulations inside a worker and runs the component's script on a page; both lazily, so each side runs only its own. */
function selfStartingEntry(component: string): string {
  const at = (path: string) => JSON.stringify(resolve(path));
  return [
    `import { serveSimulations } from ${at('site/player/sim-service.ts')};`,
    `import * as loaders from ${at('sim/loaders.ts')};`,
    `if (typeof document === 'undefined') serveSimulations(() => Promise.resolve(loaders));`,
    `else import(${JSON.stringify(`opslab-component:${component}`)});`,
  ].join('\n');
}

function selfStarting(code: string): string {
  return `function ${BUNDLE_FUNCTION}(){\n${code}\n}\nvar ${WORKER_SOURCE_GLOBAL}=${BUNDLE_FUNCTION}.toString()+"\\n${BUNDLE_FUNCTION}();";\n${BUNDLE_FUNCTION}();\n`;
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

  /** The path (from the archive's root) of the classic script that replaces script `index` of `component`. */
  async function scriptFor(component: string, index: number): Promise<string> {
    const key = `${component}#${index}`;
    const known = built.get(key);
    if (known) return known;
    components ??= astroFiles();
    const source = scriptSource(component, index, components);
    const name = `${SCRIPTS_DIR}/${component.replace(/\.astro$/, '').toLowerCase()}${index > 0 ? `-${index}` : ''}.js`;
    const define = {
      'import.meta.env.BASE_URL': JSON.stringify('/'),
      'import.meta.env.OPSLAB_OFFLINE': 'true',
      'import.meta.env.OPSLAB_SIM_WORKER_SOURCE': WORKER_SOURCE_GLOBAL,
      'import.meta.env.OPSLAB_PG_WORKER': JSON.stringify(options.pgWorker),
      'import.meta.env.OPSLAB_VERSION': JSON.stringify(options.version),
      // The page's address (no archive page has a <base>); in the worker started from this same code, the Blob's.
      'import.meta.url': 'self.location.href',
    };
    const stdin = { contents: source.contents, resolveDir: source.resolveDir, sourcefile: source.file, loader: 'ts' as const };
    const plain = await build({ ...COMMON, stdin, define, metafile: true });
    const startsWorker = Object.keys(plain.metafile!.inputs).some((input) => input.endsWith('site/player/worker-start.ts'));
    let code = plain.outputFiles![0]!.text;
    if (startsWorker) {
      const wrapped = await build({
        ...COMMON,
        stdin: { contents: selfStartingEntry(component), resolveDir: resolve('.'), sourcefile: `${component} (self-starting)`, loader: 'ts' },
        define,
        plugins: [{
          name: 'opslab-component',
          setup(b) {
            b.onResolve({ filter: /^opslab-component:/ }, (args) => ({ path: args.path, namespace: 'opslab-component' }));
            b.onLoad({ filter: /.*/, namespace: 'opslab-component' }, () => ({ contents: source.contents, resolveDir: source.resolveDir, loader: 'ts' }));
          },
        }],
      });
      code = selfStarting(wrapped.outputFiles![0]!.text);
    }
    files.set(name, new TextEncoder().encode(code));
    built.set(key, name);
    return name;
  }

  return { scriptFor, files };
}
