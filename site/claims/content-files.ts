/**
 * The MDX files under content/, read from disk: the build's failing components and the tests
 * both look up where a <Num> or <Claim> is written. Node only (it reads files); no DOM.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SourceLine } from './evaluate.ts';
import { identity, scanTags, type FoundTag } from './mdx-scan.ts';

export interface ContentFile {
  /** Relative to the project root: content/articles/cache-stampede.mdx. */
  file: string;
  text: string;
}

/** The build and the tests both run from the project root (where astro.config.mjs is). */
export function readContent(root: string = process.cwd()): ContentFile[] {
  const dir = join(root, 'content');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.mdx'))
    .sort()
    .map((name) => ({ file: relative(root, join(dir, name)), text: readFileSync(join(dir, name), 'utf8') }));
}

export function tagsIn(files: readonly ContentFile[]): (FoundTag & { file: string })[] {
  return files.flatMap(({ file, text }) => scanTags(text).map((tag) => ({ ...tag, file })));
}

/** Every place a tag with these props is written (several if an article repeats itself). */
export function locate(files: readonly ContentFile[], kind: 'Num' | 'Claim', props: Parameters<typeof identity>[1]): SourceLine[] {
  const want = identity(kind, props);
  return tagsIn(files)
    .filter((tag) => tag.kind === kind && identity(kind, tag.props) === want)
    .map(({ file, line }) => ({ file, line }));
}
