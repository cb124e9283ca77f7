/**
 * The walk as a picture: at each sample, the index as the page's query found
 * it (its live rows in (created_at, id) order), where the page sat in it, how
 * many rows the scan read to get there, and what the reader got: rows returned
 * again, rows returned late, rows inserted during the walk, and rows the page
 * passed over without returning. Beside it, the other sessions' writes since
 * the previous fetch, behind the reader or ahead of it: the ones behind are
 * what moves OFFSET's window.
 *
 * Everything is taken from the reader's own fetch (reader.ts) and row account
 * (rows.ts) as the model records the sample's series, never worked out again.
 *
 * Aggregation: the table itself is not stored (it has up to five million
 * rows); a frame holds its size and the page's position in it, and the rows
 * worth marking only as positions. Rows of the page are listed by their index
 * in the page; rows passed over by their position relative to the page's
 * first row (negative: before it), at most SKIPS_LISTED a page, with the
 * total beside them.
 */
import type { Scene } from '../core/index.ts';
import type { PageFetched } from './page-log.ts';
import type { Method } from './params.ts';
import type { RowAccount } from './rows.ts';
import type { ReadingOrder } from './order.ts';

/** Rows passed over are listed by position up to this many a page (a tie of 50 can skip 49); the rest are only counted. */
export const SKIPS_LISTED = 8;

/** A page as the picture shows it. */
export interface PageState {
  /** The page this sample's fetch asked for; once the reader has stopped, the last page it fetched. */
  page: number;
  /** The reader had already stopped (a short page ended the table): this frame holds its last fetch. */
  stopped: boolean;
  /** Live rows in the index when the page was fetched. */
  rows: number;
  /** The page's first row's position in index order (0-based): the OFFSET, or where keyset's cursor lands. */
  at: number;
  /** Rows the index scan read: with OFFSET, the `at` rows before the page (thrown away) and the page. */
  read: number;
  /** Rows returned. */
  got: number;
  /** Rows of the page (by index in it) returned before: repeats. */
  again: number[];
  /** Rows of the page passed over by an earlier page and returned only now. */
  late: number[];
  /** Rows of the page inserted during the walk, returned for the first time. */
  fresh: number[];
  /** Rows this page passed over and never returned, by position relative to `at`; the SKIPS_LISTED nearest the page. */
  skipAt: number[];
  /** Every row this page passed over without returning. */
  skipped: number;
  /** Other sessions' INSERTs and DELETEs since the previous fetch, behind the reader (before the highest row it got) and ahead. */
  insBehind: number;
  insAhead: number;
  delBehind: number;
  delAhead: number;
}

type Optional = 'stopped' | 'again' | 'late' | 'fresh' | 'skipAt' | 'skipped' | 'insBehind' | 'insAhead' | 'delBehind' | 'delAhead';

/**
 * A page as the trace stores it: most pages have nothing to mark, so a field that would be false,
 * zero or empty is left out (the scene is hashed with the trace, and its size is the hash's time).
 */
export type PageFrame = Omit<PageState, Optional> & Partial<Pick<PageState, Optional>>;

const NOTHING: Pick<PageState, Optional> = { stopped: false, again: [], late: [], fresh: [], skipAt: [], skipped: 0, insBehind: 0, insAhead: 0, delBehind: 0, delAhead: 0 };

/** A stored frame with the fields it leaves out filled in. */
export const pageState = (f: PageFrame): PageState => ({ ...NOTHING, ...f });

export interface PaginationScene extends Scene<PageFrame> {
  method: Method;
  /** LIMIT: rows a page. */
  limit: number;
  /** No index on the order: every page read the whole table (a Seq Scan) and sorted it. Absent with the index. */
  seqScan?: true;
  /** The reader pages newest first: the frames' positions count from the newest row. Absent oldest first. */
  newestFirst?: true;
  frames: PageFrame[];
}

/** Collects one frame per fetch (fetch i is sample i) and the writes between fetches. */
export class SceneRecorder {
  private readonly frames: PageFrame[] = [];
  private insBehind = 0;
  private insAhead = 0;
  private delBehind = 0;
  private delAhead = 0;
  /** How many rows inserted during the walk the reader had got before this fetch. */
  private newSeen = 0;

  /** Another session's write, placed as the log places it. */
  wrote(kind: 'insert' | 'delete', behindReader: boolean): void {
    if (kind === 'insert') behindReader ? this.insBehind++ : this.insAhead++;
    else behindReader ? this.delBehind++ : this.delAhead++;
  }

  /** The page just fetched, with the row account as this fetch left it. */
  fetched(f: PageFetched, rows: RowAccount, order: ReadingOrder): void {
    const table = order.table;
    if (f.fetch !== this.frames.length) throw new Error(`fetch ${f.fetch} arrived as frame ${this.frames.length}`);
    const again: number[] = [];
    const late: number[] = [];
    const fresh: number[] = [];
    const newIds = rows.newIds;
    // Most pages have nothing to mark: look through the page only when the account says there is something.
    if (rows.repeatsHere.length > 0 || rows.lateHere.length > 0 || newIds.length > this.newSeen) {
      const firstNew = new Set(newIds.slice(this.newSeen));
      f.keys.forEach((key, i) => {
        const id = order.id(key);
        if (rows.repeatsHere.includes(id)) again.push(i);
        else if (rows.lateHere.includes(id)) late.push(i);
        else if (firstNew.has(id)) fresh.push(i);
      });
    }
    this.newSeen = newIds.length;
    const skips = rows.skippedKeysHere;
    // The skipped rows nearest the page are the ones the picture can box: list the last of them.
    const skipAt = skips.length ? skips.slice(-SKIPS_LISTED).map((key) => table.rank(key) - f.at) : [];
    const frame: PageFrame = { page: f.page, rows: table.size, at: f.at, read: f.scanned, got: f.keys.length };
    if (again.length) frame.again = again;
    if (late.length) frame.late = late;
    if (fresh.length) frame.fresh = fresh;
    if (skips.length) {
      frame.skipAt = skipAt;
      frame.skipped = skips.length;
    }
    if (this.insBehind) frame.insBehind = this.insBehind;
    if (this.insAhead) frame.insAhead = this.insAhead;
    if (this.delBehind) frame.delBehind = this.delBehind;
    if (this.delAhead) frame.delAhead = this.delAhead;
    this.frames.push(frame);
    this.insBehind = this.insAhead = this.delBehind = this.delAhead = 0;
  }

  /** The scene for `samples` samples: after the reader stops, its last page is held, marked stopped, with nothing new on it. */
  scene(method: Method, limit: number, samples: number, seqScan = false, newestFirst = false): PaginationScene {
    const frames = this.frames.slice(0, samples);
    const last = frames[frames.length - 1];
    if (last !== undefined && frames.length < samples) {
      const held: PageFrame = { page: last.page, rows: last.rows, at: last.at, read: last.read, got: last.got, stopped: true };
      while (frames.length < samples) frames.push(held);
    }
    // Flags only when set, so oldest-first scenes with the index are what they always were.
    return { method, limit, ...(seqScan ? { seqScan: true as const } : {}), ...(newestFirst ? { newestFirst: true as const } : {}), frames };
  }
}
