/**
 * Events the cohort run leaves off the queue because what handling them does is certain: a SYN-ACK
 * reaching a broken client (which never answers), a broken client's retransmission timer and its
 * SYN that finds its request still held (clients.ts), a retransmission a request is sure to get
 * (fixed-resends.ts), a legitimate client's timer sure to resend its dropped SYN, an arrival
 * (handled with its first SYN at the server), a new request's SYN-ACK reaching a legitimate
 * client (whose ACK is queued when the SYN-ACK leaves) and an idle application's accept() of a
 * connection just established (handled at once). The per-entity run queues and handles each
 * one, and a trace counts every event handled, so the cohort run counts them here by the run
 * loop's own rule: an event due after the run's last moment is never handled.
 *
 * Ordering: a cohort run queues some events earlier than the per-entity run does (a broken
 * client's next SYN when the one before is handled, a request's first real timer at admission, a
 * client's final ACK when the SYN-ACK it answers is sent) and some later (what an arrival queues
 * is queued when its SYN reaches the server). Events at different instants keep their order; at
 * one instant the queue goes by the order of scheduling. Within one attempt such ties are
 * structural (a broken client's SYN and its request's timer, both whole sums of the same timeouts
 * from its arrival), and the listener orders them as the per-entity run does (Listener.onSyn); an
 * arrival queues its attempt's first events before anything else of that attempt, in both runs. Different attempts' events start from independent arrival
 * times drawn as continuous doubles: for two of them to meet to the last bit would take a
 * coincidence of the draws, which the property test and the recorded hashes have never met.
 *
 * The event budget stops a run at an exact event, which an uncounted event might be. So a cohort
 * run whose count passes the budget stops (BudgetPassed) and the model runs again entity by
 * entity, which stops where the budget says; a run within the budget never needs to know where.
 */
export class BudgetPassed extends Error {}

export class EventsOffQueue {
  count = 0;
  /** The run's last moment: an event due later is never handled, nor counted. */
  readonly untilMs: number;

  constructor(untilMs: number) {
    this.untilMs = untilMs;
  }

  /** An event due at timeMs that the run handles without queueing. */
  add(timeMs: number): void {
    if (timeMs <= this.untilMs) this.count++;
  }
}
