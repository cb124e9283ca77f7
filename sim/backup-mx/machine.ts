/**
 * One SMTP transaction at the backup MX, as an xstate machine: the greeting,
 * MAIL, the RCPT command walked through the ACL one statement at a time, DATA,
 * and the queued message's relay to the primary. The model steps every
 * transaction through this definition (via compileMachine), so the diagram
 * lit on the page is the path each one took.
 *
 * Events: EHLO, MAIL, RCPT, NEXT (the ACL moves to its next statement, or the
 * accepted RCPT is followed by DATA), RELAY (the backup's delivery to the
 * primary completed: 250 or 550). The guards read an RcptView the model fills
 * in from evaluateRcptAcl and from the primary's answer.
 */
import { setup } from 'xstate';
import { xstateGuards } from '../core/machine-table.ts';

export interface RcptView {
  /** The backup is a plain relay: every address in the domain is accepted, with no callout. */
  plainRelay: boolean;
  /** The deny statement's callout deferred and its verify has no defer_ok: the whole ACL defers. */
  verifyDeferred: boolean;
  /** The deny statement's callout got (or read from cache) a rejection. */
  calloutRejected: boolean;
  /** The warn statement's callout completed, so acl_m_callout_deferred was set back to false. */
  calloutAnswered: boolean;
  /** When relaying: the primary refused the recipient (550), so the backup must bounce the message. */
  primaryRejects: boolean;
}

export type SmtpEvent = { type: 'EHLO' } | { type: 'MAIL' } | { type: 'RCPT' } | { type: 'NEXT' } | { type: 'RELAY' };

export const rcptGuards = {
  plainRelay: (v: RcptView) => v.plainRelay,
  verifyDeferred: (v: RcptView) => v.verifyDeferred,
  calloutRejected: (v: RcptView) => v.calloutRejected,
  calloutAnswered: (v: RcptView) => v.calloutAnswered,
  primaryRejects: (v: RcptView) => v.primaryRejects,
} as const;


export const smtpMachine = setup({
  types: { context: {} as RcptView, events: {} as SmtpEvent, input: {} as RcptView },
  guards: xstateGuards(rcptGuards),
}).createMachine({
  id: 'smtp',
  context: ({ input }) => input,
  initial: 'connected',
  states: {
    connected: {
      description: 'TCP connection accepted; the backup sends its 220 banner',
      meta: { label: '220 connected', col: 0, row: 0 },
      on: { EHLO: { target: 'greeted', description: 'EHLO: 250' } },
    },
    greeted: {
      description: 'the client said EHLO and got 250',
      meta: { label: 'EHLO', col: 1, row: 0 },
      on: { MAIL: { target: 'mailFrom', description: 'MAIL FROM: 250' } },
    },
    mailFrom: {
      description: 'the sender address is accepted; next comes RCPT TO',
      meta: { label: 'MAIL FROM', col: 2, row: 0 },
      on: {
        RCPT: [
          { guard: 'plainRelay', target: 'relayRule', description: 'plain relay: no recipient check' },
          { target: 'aclDeny', description: 'RCPT TO: run the ACL' },
        ],
      },
    },
    relayRule: {
      description: 'accept domains = +relay_to_domains: any address in the domain',
      meta: { label: 'relay: accept', col: 2, row: 1 },
      on: { NEXT: { target: 'accepted', description: '250 to RCPT' } },
    },
    aclDeny: {
      description: 'deny ! verify = recipient/callout=30s,defer_ok',
      meta: { label: 'deny ! verify', col: 3, row: 0 },
      on: {
        NEXT: [
          { guard: 'verifyDeferred', target: 'verifyDeferred', description: 'no defer_ok: the callout deferred, so the ACL defers' },
          { guard: 'calloutRejected', target: 'rejected', description: 'the primary rejects this address' },
          { target: 'aclWarn', description: 'verified, or the callout deferred (defer_ok)' },
        ],
      },
    },
    rejected: {
      type: 'final',
      description: '550 Rejected by primary MX',
      meta: { label: '550 rejected', col: 4, row: 0, tone: 'good' },
    },
    verifyDeferred: {
      type: 'final',
      description: '451 Could not complete recipient verify callout',
      meta: { label: '451 verify deferred', col: 4, row: 1, tone: 'bad' },
    },
    aclWarn: {
      description: 'warn: set the flag, call out again, clear the flag only if the callout completed',
      meta: { label: 'warn: callout', col: 3, row: 1 },
      on: { NEXT: { target: 'aclDefer', description: 'warn never decides' } },
    },
    aclDefer: {
      description: 'defer ! condition = $acl_m_callout_deferred',
      meta: { label: 'defer ! flag', col: 3, row: 2 },
      on: {
        NEXT: [
          { guard: 'calloutAnswered', target: 'deferred', description: 'the primary answered: use it' },
          { target: 'aclAccept', description: 'the callout deferred: the primary is down' },
        ],
      },
    },
    deferred: {
      type: 'final',
      description: '451 The primary MX is working, please use it',
      meta: { label: '451 deferred', col: 4, row: 2, tone: 'neutral' },
    },
    aclAccept: {
      description: 'accept: take the mail on behalf of the primary',
      meta: { label: 'accept', col: 3, row: 3 },
      on: { NEXT: { target: 'accepted', description: '250 to RCPT' } },
    },
    accepted: {
      description: 'RCPT answered 250; DATA follows',
      meta: { label: '250 accepted', col: 2, row: 3 },
      on: { NEXT: { target: 'queued', description: 'DATA: 250 OK id=…' } },
    },
    queued: {
      description: 'in the backup’s queue, waiting for the primary',
      meta: { label: 'queued', col: 1, row: 3 },
      on: {
        RELAY: [
          { guard: 'primaryRejects', target: 'bounced', description: 'the primary says 550: bounce to the sender' },
          { target: 'relayed', description: 'the primary takes it: 250' },
        ],
      },
    },
    relayed: {
      type: 'final',
      description: 'delivered to the primary',
      meta: { label: 'relayed', col: 0, row: 3, tone: 'good' },
    },
    bounced: {
      type: 'final',
      description: 'the primary refused it: the backup sends a bounce to the (often forged) sender',
      meta: { label: 'bounce sent', col: 0, row: 2, tone: 'bad' },
    },
  },
});
