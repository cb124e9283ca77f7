/**
 * sim/ must give the same trace, bit for bit, on every engine and every run.
 *
 * Two kinds of rule. The first bans what is not deterministic at all (a clock,
 * Math.random, timers, the DOM, the locale). The second bans arithmetic whose
 * result the ECMAScript spec leaves "implementation-approximated": Math.exp,
 * log, pow, sin... and the `**` operator may differ in the last bit between
 * engines, or between versions of one engine. Node and Chromium share V8 (and
 * its fdlibm port), so the cross-engine hash test (a trace hashed in Node and
 * in Chromium) cannot catch these: only reading the source can. Math.sqrt is
 * correctly rounded by the spec and allowed, as are `+ - * /`, which IEEE 754
 * rounds exactly; sim/core's `ln` is the logarithm to use.
 *
 * The second kind reads the TypeScript syntax tree, so a word in a string or a
 * comment (a log line quoting Exim's `**`) is not mistaken for code.
 */
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const simFiles = files('sim');
const strip = (src: string) => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

/** Math functions whose results the spec lets engines approximate differently. */
const APPROXIMATED_MATH = new Set([
  'exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'pow',
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2',
  'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'cbrt', 'hypot',
]);

/**
 * Every place in `source` that computes something the spec lets engines round differently:
 * an approximated Math function, Math used other than as `Math.name` (an alias or a computed
 * name would hide the function), and `**` whose exponent is not a non-negative integer literal.
 */
function approximatedArithmetic(fileName: string, source: string): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node, what: string) => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    found.push(`${fileName}:${line + 1}: ${what}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && node.text === 'Math') {
      const parent = node.parent;
      const isObjectOfAccess = ts.isPropertyAccessExpression(parent) && parent.expression === node;
      // A name that only spells "Math" (obj.Math, { Math: 1 }) is not the global.
      const isOnlyAName = 'name' in parent && parent.name === node;
      if (!isObjectOfAccess) {
        // Anything but `Math.x` (Math['exp'], const M = Math, const { log } = Math) is an alias this scan could not follow.
        if (!isOnlyAName) report(node, 'Math used other than as Math.name');
      } else if (APPROXIMATED_MATH.has(parent.name.text)) {
        report(node, `Math.${parent.name.text}`);
      }
    }
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.AsteriskAsteriskToken || op === ts.SyntaxKind.AsteriskAsteriskEqualsToken) {
        const exponent = node.right;
        const integerLiteral = ts.isNumericLiteral(exponent) && Number.isInteger(Number(exponent.text));
        if (!integerLiteral) report(node, `${node.getText(sf)} (** with exponent ${exponent.getText(sf)})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const NON_DETERMINISTIC: [string, RegExp, string][] = [
  ['Math.random', /\bMath\.random\b/, 'const r = Math.random();'],
  ['Date', /\bDate\b/, 'const now = Date.now();'],
  ['performance', /\bperformance\b/, 'const t = performance.now();'],
  ['setTimeout / setInterval', /\bset(Timeout|Interval|Immediate)\b/, 'setTimeout(tick, 10);'],
  ['requestAnimationFrame', /\brequestAnimationFrame\b/, 'requestAnimationFrame(draw);'],
  ['the DOM (window, document)', /\b(window|document|navigator|localStorage)\s*[.[]/, 'document.title = x;'],
  ['locale-dependent formatting', /toLocale(String|DateString|TimeString)\b/, 'n.toLocaleString()'],
];

describe('sim/ is pure and deterministic', () => {
  test.each(NON_DETERMINISTIC)('no file under sim/ uses %s', (_name, pattern) => {
    const offenders = simFiles.filter((f) => pattern.test(strip(readFileSync(f, 'utf8'))));
    expect(offenders).toEqual([]);
  });

  test.each(NON_DETERMINISTIC)('the scan for %s flags a line that uses it', (_name, pattern, sample) => {
    expect(pattern.test(strip(sample))).toBe(true);
    expect(pattern.test(strip(`// ${sample}`))).toBe(false);
  });

  test('no file under sim/ imports from site/', () => {
    const offenders = simFiles.filter((f) => /from\s+['"][^'"]*\bsite\//.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('the scan sees the simulation files (a scan of nothing would pass)', () => {
    expect(simFiles.some((f) => f.endsWith(join('syn-queue', 'model.ts')))).toBe(true);
    expect(simFiles.length).toBeGreaterThan(30);
  });
});

/** Line numbers move with every edit to a model; the file and the expression do not. */
const withoutLine = (finding: string) => finding.replace(/:\d+:/, ':');

describe('sim/ uses no arithmetic the spec lets engines round differently', () => {
  const found = simFiles.flatMap((f) => approximatedArithmetic(f.split('\\').join('/'), readFileSync(f, 'utf8')));

  test('no file under sim/ calls Math.exp, log, pow, sin, cos, atan2, hypot... or hides Math behind an alias', () => {
    expect(found.filter((f) => !f.includes('(** with exponent'))).toEqual([]);
  });

  test('no file under sim/ raises to a variable or fractional power with ** (pow2 in sim/core is exact)', () => {
    expect(found.filter((f) => f.includes('(** with exponent')).map(withoutLine).sort()).toEqual([]);
  });

  test('the scan flags each approximated function, **, and an alias of Math, and nothing in strings, comments or Math.sqrt', () => {
    for (const name of APPROXIMATED_MATH) {
      expect(approximatedArithmetic('x.ts', `const y = Math.${name}(a, b);`), name).toEqual([`x.ts:1: Math.${name}`]);
    }
    expect(approximatedArithmetic('x.ts', 'const y = a ** b;')).toEqual(['x.ts:1: a ** b (** with exponent b)']);
    expect(approximatedArithmetic('x.ts', 'const y = a ** 0.5;')).toEqual(['x.ts:1: a ** 0.5 (** with exponent 0.5)']);
    expect(approximatedArithmetic('x.ts', 'y **= k;')).toEqual(['x.ts:1: y **= k (** with exponent k)']);
    expect(approximatedArithmetic('x.ts', 'const { log } = Math;')).toEqual(['x.ts:1: Math used other than as Math.name']);
    expect(approximatedArithmetic('x.ts', "const f = Math['exp'];")).toEqual(['x.ts:1: Math used other than as Math.name']);
    const clean = [
      'const y = Math.sqrt(a) + Math.floor(b) + Math.max(c, d) + a ** 2;',
      "log('Math.exp(x) ** y');",
      '// Math.log(x) ** y',
      'const o = { Math: 1 }.Math;',
    ].join('\n');
    expect(approximatedArithmetic('x.ts', clean)).toEqual([]);
  });
});
