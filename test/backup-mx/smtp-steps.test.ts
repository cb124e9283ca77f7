/**
 * The remembered SMTP steps (smtp-steps.ts) against the compiled machine: the same next state for
 * every state, event and combination of the guards' answers, asked in a random order so that an
 * answer remembered for one view cannot stand in for another's.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { RcptView } from '../../sim/backup-mx/machine.ts';
import { rcptGuards } from '../../sim/backup-mx/machine.ts';
import { SmtpSteps } from '../../sim/backup-mx/smtp-steps.ts';
import { smtp } from '../../sim/backup-mx/transaction.ts';

const GUARDS = Object.keys(rcptGuards) as (keyof RcptView)[];
const viewOf = (bits: number): RcptView => Object.fromEntries(GUARDS.map((g, i) => [g, (bits & (1 << i)) !== 0])) as unknown as RcptView;
const EVENTS = Object.values(smtp.event);
const STATES = Object.values(smtp.state);

describe('remembered SMTP steps', () => {
  test('every guard the machine reads is a field of the view the steps are remembered by', () => {
    // Five guards, five bits: a sixth guard would need a sixth bit, and this count says so.
    expect(GUARDS.length).toBe(5);
    expect([...GUARDS].sort()).toEqual(['calloutAnswered', 'calloutRejected', 'plainRelay', 'primaryRejects', 'verifyDeferred']);
  });

  test('in any order of asking, each step equals the compiled table’s', () => {
    const all = STATES.flatMap((state) => EVENTS.flatMap((event) => Array.from({ length: 1 << GUARDS.length }, (_, bits) => ({ state, event, bits }))));
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), (order) => {
        const steps = new SmtpSteps();
        // Twice each: the first answer is the table's, the second the remembered one.
        for (const pass of [0, 1]) {
          for (const { state, event, bits } of order) {
            expect(steps.step(state, event, viewOf(bits)), `pass ${pass}`).toBe(smtp.table.step(state, event, viewOf(bits)));
          }
        }
      }),
      { numRuns: 20 },
    );
  });

  test('the steps tell the views apart: a relay RCPT and an ACL RCPT lead to different states', () => {
    const steps = new SmtpSteps();
    const relay = steps.step(smtp.state.mailFrom, smtp.event.RCPT, viewOf(1));
    const acl = steps.step(smtp.state.mailFrom, smtp.event.RCPT, viewOf(0));
    expect([relay, acl]).toEqual([smtp.state.relayRule, smtp.state.aclDeny]);
  });
});
