import { describe, expect, test } from 'vitest';
import { holdsEveryTerm } from '../../site/scripts/search-match.ts';

const page = 'The SYN queue holds half-open connections; tcp_syncookies answers when the backlog is full. Retries back off.';

describe('which search results are shown', () => {
  test('a word no page contains matches nothing, though it shares a first letter or two with real words', () => {
    expect(holdsEveryTerm(page, 'qwzxv')).toBe(false);
    expect(holdsEveryTerm(page, 'bxq')).toBe(false);
  });

  test('words the page holds match whatever their case, inside longer words and with another ending', () => {
    expect(holdsEveryTerm(page, 'syn')).toBe(true);
    expect(holdsEveryTerm(page, 'SYNCOOKIE')).toBe(true);
    expect(holdsEveryTerm(page, 'backlogs')).toBe(true);
    expect(holdsEveryTerm(page, 'retrying')).toBe(true);
  });

  test('every word of the query must be there, not just one', () => {
    expect(holdsEveryTerm(page, 'syn queue')).toBe(true);
    expect(holdsEveryTerm(page, 'syn qwzxv')).toBe(false);
  });
});
