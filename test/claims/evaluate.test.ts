import { describe, expect, it } from 'vitest';
import { getSimulation } from '../../sim/index.ts';
import type { Trace } from '../../sim/core/index.ts';
import { locate } from '../../site/claims/content-files.ts';
import { evaluateClaim, falseClaimMessage, holds, renderNum, type ClaimProps } from '../../site/claims/evaluate.ts';
import { formatNumber } from '../../site/claims/formats.ts';
import { parseLiteral, scanTags } from '../../site/claims/mdx-scan.ts';
import { cachedRunCount, traceOf } from '../../site/claims/runs.ts';
import { parseValueSpec, readValue } from '../../site/claims/value-spec.ts';

describe('formats', () => {
  const cases: [number, string, 'about' | undefined, string][] = [
    [1086.45, 'int', undefined, '1,086'],
    [1086.45, 'int', 'about', '1,100'],
    [294, 'int', 'about', '290'],
    [285.667, '1dp', undefined, '285.7'],
    [97.85, 'pct', undefined, '98%'],
    [97.85, 'pct1', undefined, '97.8%'],
    [1373.7, 'sec1', undefined, '1.4\u00a0s'],
    [1373.7, 'sec1', 'about', '1.4\u00a0s'],
    [175.97, 'ms', undefined, '176\u00a0ms'],
    [28.6, 'x', undefined, '29×'],
    [0, 'int', 'about', '0'],
  ];
  for (const [value, format, round, text] of cases) {
    it(`writes ${value} as "${text}" with format ${format}${round ? ' round about' : ''}`, () => {
      expect(formatNumber(value, format, round)).toBe(text);
    });
  }
  it('rejects an unknown format, naming the valid ones', () => {
    expect(() => formatNumber(1, 'percent')).toThrow(/format="percent" is not one of int, 1dp, pct, pct1, sec1, ms, x/);
  });
});

describe('value specs', () => {
  const trace = {
    durationMs: 3000, sampleMs: 1000, summary: { dbQueries: 12 }, params: { servers: 10, mode: 'x' },
    series: { queries: Float64Array.from([1, 5, 2]) },
  } as unknown as Trace;
  const cases: [string, number][] = [
    ['summary.dbQueries', 12],
    ['params.servers', 10],
    ['series.queries.max', 5],
    ['series.queries.sum', 8],
    ['series.queries@0', 1],
    ['series.queries@1.5', 5],
    ['series.queries@3', 2],
  ];
  for (const [spec, value] of cases) {
    it(`reads ${spec} as ${value}`, () => expect(readValue(trace, parseValueSpec(spec))).toBe(value));
  }
  const bad: [string, RegExp][] = [
    ['summary.nope', /summary has no number nope; valid: dbQueries/],
    ['params.mode', /params has no number mode; valid: servers/],
    ['series.nope.max', /series has no nope; valid: queries/],
    ['series.queries@4', /past the end of the run \(3 s\)/],
    ['series.queries.mean', /is not one of summary/],
    ['dbQueries', /is not one of summary/],
  ];
  for (const [spec, message] of bad) {
    it(`refuses ${spec} with a message naming the valid choices`, () => {
      expect(() => readValue(trace, parseValueSpec(spec))).toThrow(message);
    });
  }
});

describe('expectations', () => {
  const cases: [number, Pick<ClaimProps, 'is' | 'than' | 'min' | 'max'>, boolean][] = [
    [3, { is: '<', than: 4 }, true],
    [4, { is: '<', than: 4 }, false],
    [4, { is: '<=', than: 4 }, true],
    [5, { is: '>', than: 4 }, true],
    [4, { is: '>', than: 4 }, false],
    [4, { is: '>=', than: 4 }, true],
    [4, { is: '==', than: 4 }, true],
    [4.5, { is: '==', than: 4 }, false],
    [100, { is: 'between', min: 100, max: 999 }, true],
    [1000, { is: 'between', min: 100, max: 999 }, false],
  ];
  for (const [value, claim, expected] of cases) {
    it(`${value} ${claim.is} ${claim.than ?? `${claim.min}..${claim.max}`} is ${expected}`, () => expect(holds(value, claim)).toBe(expected));
  }
  it('refuses a comparison without its bound', () => {
    expect(() => holds(1, { is: '<' })).toThrow('needs than=');
    expect(() => holds(1, { is: 'between', min: 0 })).toThrow('needs min={...} and max={...}');
  });
});

describe('reading tags from MDX text', () => {
  const mdx = [
    '---',
    'sim: cache-stampede',
    '---',
    'The herd sends <Num scenario="herd" value="summary.queriesPerExpiry" round="about" /> queries.',
    '',
    'With single-flight <Claim scenario="single-flight" set={{ servers: 50 }} value="summary.maxQueriesPerExpiry" is="<" than={5}>',
    'fifty servers send fewer than five</Claim>.',
    '```mdx',
    '<Claim scenario="herd" value="summary.dbQueries" is="<" than={1}>in code, not a claim</Claim>',
    '```',
  ].join('\n');
  const file = { file: 'content/articles/demo.mdx', text: mdx };

  it('finds each tag with its line, its props as data and the front matter’s simulation, skipping code', () => {
    expect(scanTags(mdx)).toEqual([
      { kind: 'Num', line: 4, props: { scenario: 'herd', value: 'summary.queriesPerExpiry', round: 'about', sim: 'cache-stampede' } },
      {
        kind: 'Claim', line: 6, children: '\nfifty servers send fewer than five',
        props: { scenario: 'single-flight', set: { servers: 50 }, value: 'summary.maxQueriesPerExpiry', is: '<', than: 5, sim: 'cache-stampede' },
      },
    ]);
  });

  it('a false claim reports the file, the line, the value found and the expectation', () => {
    const claim = scanTags(mdx)[1]!.props as unknown as ClaimProps;
    const { value, holds: ok } = evaluateClaim(getSimulation, claim);
    expect(ok).toBe(false);
    expect(falseClaimMessage(claim, value, locate([file], 'Claim', claim))).toBe(
      `False claim at content/articles/demo.mdx:6: cache-stampede/single-flight{servers:50}:summary.maxQueriesPerExpiry is ${value}, expected < 5`,
    );
  });

  it('locates a claim by its props, whatever order they are written in', () => {
    const claim: ClaimProps = { is: '<', than: 5, value: 'summary.maxQueriesPerExpiry', set: { servers: '50' }, scenario: 'single-flight', sim: 'cache-stampede' };
    expect(locate([file], 'Claim', claim)).toEqual([{ file: 'content/articles/demo.mdx', line: 6 }]);
    expect(locate([file], 'Claim', { ...claim, than: 6 })).toEqual([]);
  });

  it('reads only data in braces, never code', () => {
    expect(parseLiteral("{ lockTtlSec: 10, mode: 'a' }")).toEqual({ lockTtlSec: 10, mode: 'a' });
    expect(() => parseLiteral('servers * 2')).toThrow('cannot read');
  });
});

describe('runs behind the numbers', () => {
  it('numbers about the same state share one run, and a different parameter makes another', () => {
    const before = cachedRunCount();
    const a = traceOf(getSimulation, { sim: 'cache-stampede', scenario: 'tiny-ttl' });
    const b = traceOf(getSimulation, { sim: 'cache-stampede', scenario: 'tiny-ttl', set: { servers: 1 } });
    expect(b).toBe(a);
    traceOf(getSimulation, { sim: 'cache-stampede', scenario: 'tiny-ttl', set: { servers: 2 } });
    expect(cachedRunCount()).toBe(before + 2);
  });

  it('a number equals the one the runner prints for that state', () => {
    const sim = getSimulation('cache-stampede')!;
    const scenario = sim.scenarios.find((s) => s.id === 'herd')!;
    const direct = sim.run({ ...Object.fromEntries(Object.entries(sim.params).map(([k, spec]) => [k, spec.default])), ...scenario.params }, scenario.seed);
    expect(renderNum(getSimulation, { sim: 'cache-stampede', scenario: 'herd', value: 'summary.dbQueries' }).value).toBe(direct.summary.dbQueries);
  });

  const invalid: [Record<string, unknown>, RegExp][] = [
    [{ scenario: 'stampede' }, /cache-stampede has no scenario stampede; valid: herd/],
    [{ scenario: 'herd', set: { servers: 500 } }, /servers="500" is outside 1\.\.50/],
    [{ scenario: 'herd', set: { nodes: 5 } }, /unknown parameter nodes/],
    [{ scenario: 'herd', sim: 'cache' }, /unknown simulation cache/],
  ];
  for (const [ref, message] of invalid) {
    it(`refuses ${JSON.stringify(ref)} as SimLink would`, () => {
      expect(() => renderNum(getSimulation, { sim: 'cache-stampede', value: 'summary.dbQueries', ...ref } as never)).toThrow(message);
    });
  }
});
