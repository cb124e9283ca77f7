/** The trace's summary of a walk: numbers only, so a page or a test can compare runs. */
import type { Ledger } from '../core/index.ts';
import type { SummaryKey } from './keys.ts';
import { HOSTS } from './params.ts';
import type { WalkRun } from './walk-run.ts';

/** How the reader's client program ended: it reached a service (directly or through the tunnel), or not. */
export const ACTION_OUTCOMES = ['reached', 'notReached'] as const;
export type ActionOutcome = (typeof ACTION_OUTCOMES)[number];
export const REACHED = ACTION_OUTCOMES.indexOf('reached');
export const NOT_REACHED = ACTION_OUTCOMES.indexOf('notReached');

export function summaryOf(run: WalkRun, actions: Ledger<ActionOutcome>): Record<SummaryKey, number> {
  const walk = run.walk;
  const outcome = walk?.outcome ?? null;
  return {
    steps: walk?.steps.length ?? 0,
    parsed: run.sshError ? 0 : 1,
    listenersAtEnd: walk?.listeners.length ?? 0,
    sshExitStatus: walk?.sshExitStatus ?? -1,
    reached: actions.count(REACHED),
    /** Which host the client program reached, as its place in HOSTS (-1: none, or a host the reader added). */
    reachedHost: HOSTS.indexOf((outcome?.reached?.host ?? '') as (typeof HOSTS)[number]),
    reachedPort: outcome?.reached?.port ?? -1,
    throughTunnel: outcome?.throughTunnel ? 1 : 0,
    stderrLines: walk?.sshStderr.length ?? run.sshError?.length ?? 0,
  };
}
