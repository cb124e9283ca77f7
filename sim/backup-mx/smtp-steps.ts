/**
 * The SMTP machine's transitions (transaction.ts), each asked of the compiled table once and then
 * read from a small array: a step depends only on the state, the event and the five guards'
 * answers, and a busy run stepped the table (its candidate rows, its eventless pass) some 35,000
 * times for a few dozen distinct answers. The machine stays the one source of every transition;
 * this only remembers what it said.
 */
import type { RcptView } from './machine.ts';
import { smtp } from './transaction.ts';

const STATES = smtp.states.length;
const EVENTS = Object.keys(smtp.event).length + 1;
/** The guards' answers as five bits. */
const VIEWS = 32;

function viewBits(v: RcptView): number {
  return (v.plainRelay ? 1 : 0) | (v.verifyDeferred ? 2 : 0) | (v.calloutRejected ? 4 : 0) | (v.calloutAnswered ? 8 : 0) | (v.primaryRejects ? 16 : 0);
}

export class SmtpSteps {
  /** The state after (state, event, view bits), or -1 until the table is asked. */
  private readonly next = new Int8Array(STATES * EVENTS * VIEWS).fill(-1);

  /** smtp.table.step(state, event, view), remembered. */
  step(state: number, event: number, view: RcptView): number {
    const at = (state * EVENTS + event) * VIEWS + viewBits(view);
    let to = this.next[at]!;
    if (to < 0) {
      to = smtp.table.step(state, event, view);
      this.next[at] = to;
    }
    return to;
  }
}
