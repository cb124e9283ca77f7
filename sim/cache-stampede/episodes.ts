/**
 * Queries per expiry of the hot key: an episode opens at the first read that
 * finds the key not fresh (or recomputes early) and closes at the next write.
 * Its query count is the herd the article measures.
 */
export class HotKeyEpisodes {
  private open = false;
  private queries = 0;
  private readonly closed: number[] = [];

  /** A read found the hot key not fresh, or recomputes it early: an episode opens unless one is open. */
  begin(): void {
    if (this.open) return;
    this.open = true;
    this.queries = 0;
  }

  /** A query for the hot key, counted in the open episode. */
  query(): void {
    if (this.open) this.queries++;
  }

  /** The hot key was written: closes the open episode; true if there was one. */
  written(): boolean {
    if (!this.open) return false;
    this.closed.push(this.queries);
    this.open = false;
    return true;
  }

  /** Forgets the episodes so far (the writes at the start of the run are not expiries). */
  forget(): void {
    this.closed.length = 0;
  }

  get count(): number {
    return this.closed.length;
  }

  meanQueries(): number {
    return this.closed.length > 0 ? this.closed.reduce((a, b) => a + b, 0) / this.closed.length : NaN;
  }

  maxQueries(): number {
    return this.closed.length > 0 ? Math.max(...this.closed) : NaN;
  }
}
