/**
 * The rows the reader should see, and what it got of each.
 *
 * The cursor's reach is the highest key returned so far; when a page moves
 * it, every live seed row it passes is opened in the ledger with its outcome
 * so far: seen once, seen more than once, or never seen. OFFSET can later
 * return a row it has passed (a row inserted before the reader pushes the
 * window back), so such a row moves from "seen once" to "seen more than once",
 * or from "never seen" to "seen once", in the page where that happens: the
 * per-page counts can then be negative, and the running totals always add up
 * to the rows passed. An outcome is final only when the walk is over, so
 * that is when each row ends in the ledger. Rows inserted during the walk are
 * counted apart (newRowsSeen), and a row deleted after the cursor passed it
 * keeps the outcome it had.
 */
import { Ledger, type SeriesRecorder } from '../core/index.ts';
import { NEVER_SEEN, OUTCOMES, SEEN_MORE_THAN_ONCE, SEEN_ONCE, type Outcome, type SeriesKey } from './keys.ts';
import type { ReadingOrder } from './order.ts';
import { IdCounts } from './table.ts';

export class RowAccount {
  /** One entity per row passed, numbered in the order the reach passed them. */
  readonly ledger = new Ledger(OUTCOMES);
  /** The highest key the reader's pages have reached: the end of the range it has walked. */
  reach: number;
  /** The lowest key the reader asked for. */
  readonly firstKey: number;
  /** Ids of rows returned more than once, in the order their second return happened. */
  readonly repeatedIds: number[] = [];
  /** Ids of rows inserted during the walk that the reader got. */
  readonly newIds: number[] = [];
  /** Rows from before the first key asked for that the reader got anyway (keyset's seek takes the start row's ties). */
  beforeStartSeen = 0;
  /** The last page's rows returned again, returned late (passed over before), and passed over without being returned (keys). */
  readonly repeatsHere: number[] = [];
  readonly lateHere: number[] = [];
  readonly skippedKeysHere: number[] = [];
  // Rows are tracked by id, which is unique to a row and a small integer.
  /** Times each row has been returned. */
  private readonly returned = new IdCounts();
  /** The fetch that first returned each row. */
  private readonly firstFetchOf = new IdCounts();
  /** Each passed row's outcome so far: its OUTCOMES index + 1 (0 for not passed). */
  private readonly passed = new IdCounts();
  /** The row id of each ledger entity. */
  private readonly passedIds: number[] = [];
  private readonly seedRows: number;
  /** Keys here are reading keys: they ascend in the order the reader walks (order.ts). */
  private readonly order: ReadingOrder;
  private readonly rec: SeriesRecorder<SeriesKey>;

  constructor(seedRows: number, firstKey: number, order: ReadingOrder, rec: SeriesRecorder<SeriesKey>) {
    this.seedRows = seedRows;
    this.order = order;
    this.firstKey = firstKey;
    this.reach = firstKey - 1;
    this.rec = rec;
  }

  /** The rows of one page, as the reader receives them: repeats are counted, and passed rows returned late change outcome. */
  receive(keys: readonly number[], fetch: number, tMs: number): void {
    const rec = this.rec;
    this.repeatsHere.length = 0;
    this.lateHere.length = 0;
    for (const key of keys) {
      const id = this.order.id(key);
      const before = this.returned.get(id);
      this.returned.set(id, before + 1);
      if (before === 0) this.firstFetchOf.set(id, fetch);
      else {
        rec.add('repeats', tMs);
        this.repeatsHere.push(id);
        if (before === 1) this.repeatedIds.push(id);
      }
      if (id > this.seedRows) {
        if (before === 0) {
          rec.add('newRowsSeen', tMs);
          this.newIds.push(id);
        }
        continue;
      }
      // Rows past the reach are accounted by pass(), when the reach gets to them.
      if (key > this.reach) continue;
      if (key < this.firstKey) {
        if (before === 0) this.beforeStartSeen++;
        continue;
      }
      if (before === 0) {
        this.move(id, SEEN_ONCE, tMs);
        this.lateHere.push(id);
      } else if (before === 1) this.move(id, SEEN_MORE_THAN_ONCE, tMs);
    }
  }

  /** The reach moves up to newReach: each live seed row it passes is opened with what the reader got of it. */
  pass(newReach: number, tMs: number): void {
    this.skippedKeysHere.length = 0;
    if (newReach <= this.reach) return;
    this.order.table.scanFrom(this.reach + 1, (key) => {
      if (key > newReach) return false;
      const id = this.order.id(key);
      if (id > this.seedRows) return true;
      const n = this.returned.get(id);
      const outcome = n === 0 ? NEVER_SEEN : n === 1 ? SEEN_ONCE : SEEN_MORE_THAN_ONCE;
      this.passed.set(id, outcome + 1);
      this.ledger.open();
      this.passedIds.push(id);
      this.rec.add('shouldSee', tMs);
      this.rec.add(OUTCOMES[outcome]!, tMs);
      if (outcome === NEVER_SEEN) this.skippedKeysHere.push(key);
      return true;
    });
    this.reach = newReach;
  }

  /** The fetch that first returned row `id`. */
  firstFetch(id: number): number {
    return this.firstFetchOf.get(id);
  }

  /** The walk is over: every row passed ends in the ledger with the outcome it holds now. */
  close(tMs: number): void {
    for (let i = 0; i < this.passedIds.length; i++) this.ledger.end(i, this.passed.get(this.passedIds[i]!) - 1, tMs);
  }

  /** Each row passed, by id, with its outcome in the ledger (or while the walk goes on, the one it holds now). */
  outcomes(): Map<number, Outcome> {
    const out = new Map<number, Outcome>();
    this.passedIds.forEach((id, i) => {
      const o = this.ledger.isOpen(i) ? this.passed.get(id) - 1 : this.ledger.outcomeOf(i);
      out.set(id, OUTCOMES[o]!);
    });
    return out;
  }

  /** A passed row returned late changes outcome, in the sample where that happens. */
  private move(id: number, to: number, tMs: number): void {
    this.rec.add(OUTCOMES[this.passed.get(id) - 1]!, tMs, -1);
    this.passed.set(id, to + 1);
    this.rec.add(OUTCOMES[to]!, tMs);
  }
}
