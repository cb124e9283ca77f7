/**
 * Every message of the run, real or spam: the ledger that opens it and records
 * how it ended (its sender kind is the ledger's class), and the columns the
 * senders and the backup read: who sent it, to whom, when, and its retries.
 * A message's id is its index in every column.
 */
import { Ledger, type Observer, type SeriesRecorder } from '../core/index.ts';
import { KIND_LABEL, OUTCOMES, SENDER_KINDS, SPAM, type Outcome, type SenderKind, type SeriesKey } from './keys.ts';
import type { EximRetryRecord } from './retry.ts';

export const DOMAIN = 'example.org';
/** Spam to made-up addresses guesses from a list this long, so a guess sometimes repeats and meets the negative cache. */
export const GUESS_POOL = 400;

const FIRST_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'yusuf'];
const GUESSES = ['info', 'sales', 'admin', 'office', 'john', 'mike', 'contact', 'support', 'webmaster', 'jobs'];

/** Recipient r: a real mailbox when r < users, otherwise a guessed address that does not exist. */
export function recipientAddress(r: number, users: number): string {
  if (r < users) return `${FIRST_NAMES[r % FIRST_NAMES.length]}${r < FIRST_NAMES.length ? '' : Math.floor(r / FIRST_NAMES.length) + 1}@${DOMAIN}`;
  const g = r - users;
  return `${GUESSES[g % GUESSES.length]}${Math.floor(g / GUESSES.length) + 1}@${DOMAIN}`;
}

/** A message's end, as a test sees it. */
export interface MessageEnd {
  type: 'outcome';
  tMs: number;
  kind: SenderKind;
  arrivalMs: number;
  valid: boolean;
  outcome: Outcome;
}

export class Messages {
  readonly ledger = new Ledger(OUTCOMES, SENDER_KINDS);
  /** The sending host's number (10..99): it names the host, its address and the envelope sender in the logs. */
  readonly sender: number[] = [];
  readonly rcpt: number[] = [];
  readonly arrivalMs: number[] = [];
  /** Failed attempts so far, by the sender's count. */
  readonly failures: number[] = [];
  /** An Exim sender's retry record for the message. */
  readonly retry: (EximRetryRecord | null)[] = [];
  /** Delay notices its sender has sent its user so far. */
  readonly notices: number[] = [];
  private readonly users: number;

  constructor(users: number) {
    this.users = users;
    // Every recipient a message can have (a real mailbox or a guess), so the array stays packed.
    this.addresses = new Array<string>(users + GUESS_POOL).fill('');
  }

  open(kind: number, sender: number, rcpt: number, tMs: number): number {
    const m = this.ledger.open(kind);
    this.sender.push(sender);
    this.rcpt.push(rcpt);
    this.arrivalMs.push(tMs);
    this.failures.push(0);
    this.retry.push(null);
    this.notices.push(0);
    return m;
  }

  /** Ends message m; a second ending throws (Ledger.end). */
  end(m: number, outcome: number, tMs: number): void {
    this.ledger.end(m, outcome, tMs);
  }

  kind(m: number): number {
    return this.ledger.classOf(m);
  }

  isSpam(m: number): boolean {
    return this.ledger.classOf(m) === SPAM;
  }

  valid(m: number): boolean {
    return this.rcpt[m]! < this.users;
  }

  /**
   * One string per recipient, made at its first message: the callout cache is a map keyed by
   * address, and a string made anew for every session was hashed anew at every lookup.
   */
  private readonly addresses: string[];
  /** who(), by kind * 100 + sender host number (10..99). */
  private readonly whoByKindAndHost = new Array<string>(KIND_LABEL.length * 100).fill('');

  address(m: number): string {
    const r = this.rcpt[m]!;
    const known = this.addresses[r]!;
    if (known !== '') return known;
    return (this.addresses[r] = recipientAddress(r, this.users));
  }

  host(m: number): string {
    return this.isSpam(m) ? `bot${this.sender[m]}.dsl.example.net` : `mail.sender${this.sender[m]}.example`;
  }

  ip(m: number): string {
    return this.isSpam(m) ? `198.51.100.${(this.sender[m]! % 250) + 1}` : `203.0.113.${(this.sender[m]! % 250) + 1}`;
  }

  envelopeFrom(m: number): string {
    return this.isSpam(m) ? `offers${this.sender[m]}@bulk-mail.example` : `someone${this.sender[m]}@sender${this.sender[m]}.example`;
  }

  /** "Postfix mail.sender42.example": the sender, for its own log lines. */
  who(m: number): string {
    // One string per kind and host (500 at most), made at its first line: a week keeps thousands.
    const sender = this.sender[m]!;
    if (sender < 0 || sender > 99) return `${KIND_LABEL[this.kind(m)]} ${this.host(m)}`;
    const at = this.kind(m) * 100 + sender;
    const known = this.whoByKindAndHost[at]!;
    if (known !== '') return known;
    return (this.whoByKindAndHost[at] = `${KIND_LABEL[this.kind(m)]} ${this.host(m)}`);
  }

  /** Each ending is counted in its outcome's series, in the sample it happened, and told to the observer. */
  recordEndings(rec: SeriesRecorder<SeriesKey>, observe: Observer<MessageEnd>): void {
    const series = OUTCOMES.map((o) => rec.get(o));
    this.ledger.onEnd = (m, outcome, kind, tMs) => {
      series[outcome]![rec.index(tMs)]!++;
      observe?.({ type: 'outcome', tMs, kind: SENDER_KINDS[kind]!, arrivalMs: this.arrivalMs[m]!, valid: this.valid(m), outcome: OUTCOMES[outcome]! });
    };
  }
}
