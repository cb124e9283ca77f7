/**
 * The SSH forwarding lesson's run: the reader's ssh command and client action, parsed as OpenSSH
 * and the programs would and walked on the source post's home network (walk-run.ts), replayed as
 * a trace: one event and one log line a step, a second apart, each line's detail what the step
 * carried (addresses, the channel, the exact lines a program printed), and the forwarded
 * connection's phase driving the machine the page draws. The reader's client program is the one
 * entity with an outcome: it reached a service or it did not.
 *
 * A command that does not parse is not an error of the page: the walk is the one line the real
 * program would print, and nothing else happens.
 */
import { Ledger, compileMachine, createModel, type Trace } from '../core/index.ts';
import { CONNECTION_STATES, SERIES_KEYS, type SeriesKey } from './keys.ts';
import { connectionMachine, eventBetween, stateFor } from './machine.ts';
import type { SshForwardingParams } from './params.ts';
import { sceneOf } from './scene.ts';
import { ACTION_OUTCOMES, NOT_REACHED, REACHED, summaryOf } from './summary.ts';
import type { Step } from './walk.ts';
import { stepsOf, walkFor } from './walk-run.ts';

export { stepCount, walkFor } from './walk-run.ts';

export const STEP_MS = 1000;

const machine = compileMachine<Record<string, never>>(connectionMachine, {});
const EV = machine.eventIndex;
/** Each machine state's series, by state index; a state keys.ts does not list fails here, at load. */
const STATE_SERIES: readonly SeriesKey[] = machine.info.states.map((s, i) => {
  if (CONNECTION_STATES[i] !== s.id) throw new Error(`keys.ts lists ${CONNECTION_STATES[i]} where the machine has ${s.id}`);
  return `st_${CONNECTION_STATES[i]}` as const;
});
if (STATE_SERIES.length !== CONNECTION_STATES.length) throw new Error('keys.ts lists states the machine does not have');

/** The one event kind: `arg` is the step's index in the walk. */
const STEP = 0;

function stepDetail(step: Step): string {
  const lines = [step.text];
  if (step.detail) lines.push('', step.detail);
  if (step.output) lines.push('', `${step.output.program} on ${step.output.host}:`, ...step.output.lines.map((l) => `  ${l}`));
  lines.push('', `session: ${step.state.session} · forwarded connection: ${step.state.connection}`);
  return lines.join('\n');
}

export function runSshForwarding(p: SshForwardingParams, seed: number): Trace {
  const run = walkFor(p);
  const steps = run.walk?.steps ?? [];
  // A walk has as many events as steps, so the budget is never what stops it.
  const m = createModel({ simId: 'ssh-forwarding', seed, params: p, durationMs: stepsOf(run) * STEP_MS, sampleMs: STEP_MS, series: SERIES_KEYS, budget: steps.length, queueCapacity: steps.length + 1, log: { perKindPerWindow: 50, total: 1000 } });
  const { rec, log, queue } = m;
  const actions = new Ledger(ACTION_OUTCOMES);
  actions.onEnd = (_id, outcome, _cls, tMs) => rec.add(ACTION_OUTCOMES[outcome]!, tMs);

  // Lines for what could not be used come first, each a step of its own.
  let t = 0;
  if (run.networkProblems.length > 0) {
    log.write(0, 'error', `network: ${run.networkProblems.length} change${run.networkProblems.length === 1 ? '' : 's'} not applied`, run.networkProblems.join('\n'));
    rec.add('steps', 0);
    rec.add('failures', 0);
    t = STEP_MS;
  }
  if (run.sshError) {
    log.write(t, 'error', `${p.typedOn}$ ${p.command}`, run.sshError.join('\n'));
    rec.add('steps', t);
    rec.add('failures', t);
    // ssh refused its own command line: it is gone before it began.
    rec.get('st_sessionClosed')[rec.index(t)] = 1;
    t += STEP_MS;
  }

  for (let i = 0; i < steps.length; i++) queue.push(t + i * STEP_MS, STEP, i);
  let state = machine.stateIndex.connecting!;
  let listeners = 0;
  m.run((tMs, _kind, i) => {
    const step = steps[i]!;
    rec.add('steps', tMs);
    if (step.kind === 'bind') listeners++;
    if (step.kind === 'exit') listeners = 0;
    const target = stateFor(step.state);
    const event = eventBetween(machine.info.states[state]!.id, target);
    if (event) {
      state = machine.step(state, EV[event]!, {});
      if (machine.info.states[state]!.id !== target) {
        throw new Error(`the walk's machine is in ${machine.info.states[state]!.id} where the walk says ${target} (${step.state.session}, ${step.state.connection})`);
      }
    }
    // The diagram shows where the walk is at each step: one box lit, the current one.
    rec.get(STATE_SERIES[state]!)[rec.index(tMs)] = 1;
    if (/failed|not-forwardable/.test(step.kind)) rec.add('failures', tMs);
    rec.get('listeners')[rec.index(tMs)] = listeners;
    log.write(tMs, step.kind, `${step.host.padEnd(8)} ${step.text.split('\n')[0]}`, stepDetail(step));
  });
  t += steps.length * STEP_MS;

  if (run.actionError) {
    log.write(t, 'error', `${p.actionOn}$ ${p.action}`, run.actionError.join('\n'));
    rec.add('failures', t);
  }
  // The client program ran (it parsed, and so did ssh): it ends where the walk ends.
  const outcome = run.walk?.outcome ?? null;
  if (outcome) {
    const id = actions.open();
    rec.add('actions', 0);
    actions.end(id, outcome.reached ? REACHED : NOT_REACHED, Math.max(0, t - STEP_MS));
  }
  return m.trace(summaryOf(run, actions), { scene: sceneOf(run.topology, steps, (run.networkProblems.length > 0 ? 1 : 0) + (run.sshError ? 1 : 0), rec.count) });
}
