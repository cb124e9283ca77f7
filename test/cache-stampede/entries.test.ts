/**
 * A key's entry steps through the cacheEntry machine by a remembered table (entries.ts): every
 * answer must be the compiled machine's own, for every state, event and view.
 */
import { expect, test } from 'vitest';
import { compileMachine } from '../../sim/core/index.ts';
import { stepEntry } from '../../sim/cache-stampede/entries.ts';
import { cacheEntryMachine, entryGuards, type EntryView } from '../../sim/cache-stampede/machine.ts';

const machine = compileMachine<EntryView>(cacheEntryMachine, entryGuards);
const FLAGS = ['lockAcquired', 'fleetLock', 'swrServes', 'earlyRecompute', 'keepsStale'] as const;
const views: EntryView[] = Array.from({ length: 1 << FLAGS.length }, (_, bits) =>
  Object.fromEntries(FLAGS.map((f, i) => [f, (bits & (1 << i)) !== 0])) as unknown as EntryView,
);

test('the remembered step gives the compiled machine’s next state for every state, event and view, asked in any order', () => {
  const states = machine.info.states.length;
  const events = Object.keys(machine.eventIndex).length;
  const questions: [number, number, EntryView][] = [];
  for (let s = 0; s < states; s++) for (let e = 0; e < events; e++) for (const v of views) questions.push([s, e, v]);
  // Twice over, the second time backwards: the first answer to each question is remembered, then read.
  for (const [s, e, v] of [...questions, ...questions.reverse()]) expect(stepEntry(s, e, v), `state ${s}, event ${e}, ${JSON.stringify(v)}`).toBe(machine.step(s, e, v));
  // The table distinguishes views: some state and event has two views with different answers.
  expect(questions.some(([s, e]) => new Set(views.map((v) => machine.step(s, e, v))).size > 1)).toBe(true);
});
