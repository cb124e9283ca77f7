/**
 * The machine's answer to a SYN at the listening socket, remembered with the view it read. During a
 * flood nothing the guards read changes from one SYN to the next (the SYN queue stays full, the
 * accept queue too), so tens of thousands of SYNs ask the same question: a SYN whose view matches
 * the last one's takes the last answer instead of stepping the table again. The step is a pure
 * function of the view, so the answer is the machine's own (test/syn-queue/syn-decision.test.ts
 * holds the two together).
 */
import { EV_SYN, S, machine } from './machine-steps.ts';
import type { ListenerView } from './machine.ts';

export class SynDecision {
  /** Why the last decision went as it did: the guard of the last guarded transition taken, or null. */
  why: string | null = null;
  // The view's per-SYN fields at the last step (the rest are the run's constants), and its answer.
  private synQueueLen = -1;
  private acceptQueueLen = -1;
  private youngLen = -1;
  private peerProven = false;
  private retransmits = -1;
  private acked = false;
  private next = -1;

  /** The state a SYN takes a request to from LISTEN, given the listener's view. */
  decide(v: ListenerView): number {
    if (
      v.synQueueLen === this.synQueueLen &&
      v.acceptQueueLen === this.acceptQueueLen &&
      v.youngLen === this.youngLen &&
      v.peerProven === this.peerProven &&
      v.retransmits === this.retransmits &&
      v.acked === this.acked
    ) {
      return this.next;
    }
    this.next = machine.step(S.listen, EV_SYN, v);
    this.why = machine.lastGuard;
    this.synQueueLen = v.synQueueLen;
    this.acceptQueueLen = v.acceptQueueLen;
    this.youngLen = v.youngLen;
    this.peerProven = v.peerProven;
    this.retransmits = v.retransmits;
    this.acked = v.acked;
    return this.next;
  }
}
