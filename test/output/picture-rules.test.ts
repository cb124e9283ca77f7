/** A picture's rules out of a stylesheet (site/export/picture-rules.ts): its own, and nothing of another picture's, a comment's or a media query's. */
import { expect, test } from 'vitest';
import { pictureRoot, rulesFor } from '../../site/export/picture-rules.ts';

const CSS = `/* svg.synq in a comment { fill: red } */
svg.synq text { fill: var(--fg); }
svg.netmap .host rect { fill: var(--panel-2); }
svg.synq .m-drop, svg.synq .m-rst { stroke: var(--bad); }
@media (prefers-color-scheme: dark) { svg.synq text { fill: white; } }
body { margin: 0; }`;

test('keeps every top-level rule naming the picture’s root, and leaves out other pictures, comments and media queries', () => {
  expect(rulesFor(CSS, 'synq')).toBe('svg.synq text { fill: var(--fg); }\nsvg.synq .m-drop, svg.synq .m-rst { stroke: var(--bad); }');
  expect(rulesFor(CSS, 'netmap')).toBe('svg.netmap .host rect { fill: var(--panel-2); }');
});

test('the root is the first class of the picture’s <svg>', () => {
  expect(pictureRoot('<svg class="synq" viewBox="0 0 1 1">')).toBe('synq');
  expect(pictureRoot('<g class="synq">')).toBeNull();
});
