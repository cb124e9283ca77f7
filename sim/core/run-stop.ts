/**
 * Where the models created during a progressive run stop (see createModel in model.ts). It lives
 * on the global object under a registered symbol, not in a module variable: the simulation worker's
 * own script carries a copy of this module while the models it runs are the page's chunks, so a
 * module variable set in one copy would be a stop the other copy's createModel never reads. This
 * module imports nothing, so the worker's copy stays a few lines.
 */
const KEY = Symbol.for('opslab.runStopMs');
type Holder = { [KEY]?: number | null };

/** The stop, in simulated ms, for a model created now; null outside runUpTo. */
export function requestedStopMs(): number | null {
  return (globalThis as Holder)[KEY] ?? null;
}

/**
 * Runs `run` (a simulation's run) with every model it creates stopping its event loop at the first
 * sample boundary at or after `untilSec`. The trace it returns is partial (`computedToSec` says how
 * far) unless the stop reaches the end of the run or the event budget ran out before it (then the
 * trace is the whole run's: the budget stops the one-shot run at the same event).
 */
export function runUpTo<T>(untilSec: number, run: () => T): T {
  const holder = globalThis as Holder;
  const outer = holder[KEY] ?? null;
  holder[KEY] = Math.max(0, untilSec * 1000);
  try {
    return run();
  } finally {
    holder[KEY] = outer;
  }
}
