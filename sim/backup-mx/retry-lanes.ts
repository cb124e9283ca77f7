/**
 * The event-queue lanes the senders' retries wait in, one per wait the schedule fixes (EventQueue:
 * a lane keeps events of one fixed delay in time order, out of the heap). Exim's lanes are its own:
 * its waits start from the failure's whole second, and a shared lane's other users start from the
 * exact time, which can be later, so a lane would receive times out of order. The other kinds share
 * the queue's lane of each delay (laneFor).
 *
 * Each kind's last wait and its lane are kept: a kind's wait settles (Exchange's 10 minutes,
 * Postfix's 4,000 s, Exim's 6 hours), so the maps are asked when a kind's wait changes, not at every
 * one of a week's 45,000 retries. The lane is the one the maps give (the test holds it to them).
 */
import type { EventQueue } from '../core/index.ts';
import { EXIM, LEGIT_KINDS } from './keys.ts';

export class RetryLanes {
  private readonly queue: EventQueue;
  /** Exim's lanes, by wait in ms (a handful: its rule's intervals and the geometric steps). */
  private readonly eximLanes = new Map<number, number>();
  /** Per real kind, the last wait asked (-1 before the first) and its lane. */
  private readonly lastWaitMs = LEGIT_KINDS.map(() => -1);
  private readonly lastLane = LEGIT_KINDS.map(() => 0);

  constructor(queue: EventQueue) {
    this.queue = queue;
  }

  /** The lane of a retry of this kind `waitMs` (a whole, non-negative number of ms) after its start. */
  laneOf(kind: number, waitMs: number): number {
    if (waitMs === this.lastWaitMs[kind]) return this.lastLane[kind]!;
    const lane = kind === EXIM ? this.eximLane(waitMs) : this.queue.laneFor(waitMs);
    this.lastWaitMs[kind] = waitMs;
    this.lastLane[kind] = lane;
    return lane;
  }

  private eximLane(waitMs: number): number {
    let lane = this.eximLanes.get(waitMs);
    if (lane === undefined) {
      lane = this.queue.lane(waitMs);
      this.eximLanes.set(waitMs, lane);
    }
    return lane;
  }
}
