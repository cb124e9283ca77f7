/**
 * npm run new-lesson <id>: scaffolds a minimal working lesson (a worker and a
 * bounded line: parameters, two scenarios, a two-state machine, a model on the
 * skeleton, an article, a lab and a model test) that builds, runs headless and
 * passes the generic tests. It writes only sim/<id>/, content/articles/<id>.mdx,
 * content/labs/<id>.mdx and test/<id>/, and adds one line to sim/lessons.ts.
 * Then replace the model and the words with the lesson's own.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATES = join(ROOT, 'scripts', 'new-lesson');

function fail(message: string): never {
  console.error(`new-lesson: ${message}`);
  process.exit(2);
}

const id = process.argv[2] ?? '';
if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)) {
  fail(`give the lesson's id in lower case with hyphens, such as "retry-budget"; got ${JSON.stringify(id)}. Usage: npm run new-lesson <id>`);
}
const lessonsFile = join(ROOT, 'sim', 'lessons.ts');
const lessonsText = readFileSync(lessonsFile, 'utf8');
const targets = [join(ROOT, 'sim', id), join(ROOT, 'content', 'articles', `${id}.mdx`), join(ROOT, 'content', 'labs', `${id}.mdx`), join(ROOT, 'test', id)];
if (lessonsText.includes(`'${id}'`) || new RegExp(`^\\s*${id}:`, 'm').test(lessonsText) || targets.some((t) => existsSync(t))) {
  fail(`a lesson called ${id} exists already`);
}

const words = id.split('-');
const camel = words[0] + words.slice(1).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
const pascal = camel[0]!.toUpperCase() + camel.slice(1);
const title = words.map((w, i) => (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' ');
const order = readdirSync(join(ROOT, 'content', 'articles')).filter((f) => f.endsWith('.mdx')).length + 1;
const fill = (template: string) =>
  readFileSync(join(TEMPLATES, template), 'utf8')
    .replaceAll('__ID__', id)
    .replaceAll('__CAMEL__', camel)
    .replaceAll('__PASCAL__', pascal)
    .replaceAll('__TITLE__', title)
    .replaceAll('__ORDER__', String(order));

const files: Record<string, string> = {
  [`sim/${id}/params.ts`]: fill('params.ts.tmpl'),
  [`sim/${id}/scenarios.ts`]: fill('scenarios.ts.tmpl'),
  [`sim/${id}/machine.ts`]: fill('machine.ts.tmpl'),
  [`sim/${id}/model.ts`]: fill('model.ts.tmpl'),
  [`sim/${id}/index.ts`]: fill('index.ts.tmpl'),
  [`content/articles/${id}.mdx`]: fill('article.mdx.tmpl'),
  [`content/labs/${id}.mdx`]: fill('lab.mdx.tmpl'),
  [`test/${id}/model.test.ts`]: fill('model.test.ts.tmpl'),
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(ROOT, path)), { recursive: true });
  writeFileSync(join(ROOT, path), text);
}

// The one line in the one list of lessons, just before the list closes.
const close = lessonsText.indexOf('} satisfies');
if (close < 0) fail('sim/lessons.ts no longer ends its list with "} satisfies"; add the line by hand');
const key = /^[a-z][a-z0-9]*$/.test(id) ? id : `'${id}'`;
writeFileSync(lessonsFile, `${lessonsText.slice(0, close)}  ${key}: () => import('./${id}/index.ts'),\n${lessonsText.slice(close)}`);

console.log(`Created the lesson ${id}:\n${Object.keys(files).map((f) => `  ${f}`).join('\n')}\n  sim/lessons.ts (one line)`);
console.log(`Try it: npm run sim -- ${id} --scenario overload; then npm test. README.md, "Adding a lesson", lists what to change next.`);
