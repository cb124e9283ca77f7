import { describe, expect, it } from 'vitest';
import { getSimulation } from '../../sim/index.ts';
import { readContent, tagsIn } from '../../site/claims/content-files.ts';
import { evaluateClaim, falseClaimMessage, renderNum, type ClaimProps, type NumProps } from '../../site/claims/evaluate.ts';

/** Every <Num> and <Claim> under content/, read as text and evaluated with the build's own code. */
const tags = tagsIn(readContent());

describe('numbers and claims in content/', () => {
  it('finds the converted article’s numbers and claims', () => {
    const inCacheStampede = tags.filter((t) => t.file === 'content/articles/cache-stampede.mdx');
    expect(inCacheStampede.filter((t) => t.kind === 'Num').length).toBeGreaterThan(10);
    expect(inCacheStampede.filter((t) => t.kind === 'Claim').length).toBeGreaterThan(10);
  });

  it('every <Num> resolves and every <Claim> holds', () => {
    const problems: string[] = [];
    for (const tag of tags) {
      const at = `${tag.file}:${tag.line}`;
      try {
        if (tag.kind === 'Num') {
          renderNum(getSimulation, tag.props as unknown as NumProps);
        } else {
          const claim = tag.props as unknown as ClaimProps;
          const { value, holds } = evaluateClaim(getSimulation, claim);
          if (!holds) problems.push(falseClaimMessage(claim, value, [tag]));
        }
      } catch (error) {
        problems.push(`${at}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('links that name a figure', () => {
  it('every <SimLink fig="…"> names a <Figure> of the same article', () => {
    const dangling: string[] = [];
    let named = 0;
    for (const { file, text } of readContent()) {
      const figures = new Set([...text.matchAll(/<Figure\b[^>]*?\bid="([^"]+)"/g)].map((m) => m[1]));
      for (const m of text.matchAll(/<SimLink\b[^>]*?\bfig="([^"]+)"/g)) {
        named++;
        if (!figures.has(m[1]!)) dangling.push(`${file}: fig="${m[1]}" (figures: ${[...figures].join(', ') || 'none'})`);
      }
    }
    expect(named).toBeGreaterThan(0);
    expect(dangling).toEqual([]);
  });
});
