/** Which of Pagefind's results the search page shows (pure, so it is tested without a page). */

/**
 * Whether a page's text holds every word of the query, give or take an ending (cookie, cookies;
 * retry, retries). Pagefind falls back to ever shorter prefixes of a word it does not know, so
 * left alone "qwzxv" finds every page with a "q" in it.
 */
export function holdsEveryTerm(text: string, query: string): boolean {
  const haystack = text.toLowerCase();
  return query
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter(Boolean)
    .every((term) => haystack.includes(stem(term)));
}

/** A word without its English ending (retrying, retries: retr), unless that leaves under three letters. */
function stem(word: string): string {
  const bare = word.replace(/(ing|ied|ies|ed|es|s)$/, '').replace(/y$/, '');
  return bare.length >= 3 ? bare : word;
}
