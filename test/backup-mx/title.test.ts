import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { backupMx } from '../../sim/backup-mx/index.ts';

/** The front matter of an MDX file under content/. */
const frontMatter = (file: string) => parse(/^---\n([\s\S]*?)\n---/.exec(readFileSync(file, 'utf8'))![1]!) as { title: string; sim: string };

describe('the backup-MX lesson’s name', () => {
  test('the article (its heading and the home page’s link) carries the same title as the simulation (the kicker above that heading, the lab, the embed)', () => {
    const article = frontMatter('content/articles/backup-mx.mdx');
    expect(article.sim).toBe(backupMx.id);
    expect(article.title).toBe(backupMx.title);
  });
});
