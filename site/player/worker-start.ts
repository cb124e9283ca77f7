/**
 * Starts the simulation worker. On the site it is the module Vite builds from sim-worker.ts. In
 * the offline archive a worker script cannot be loaded from the folder (Chromium refuses one from
 * a file:// page), so the archive's bundle puts the inline worker's code (sim-worker-inline.ts) in
 * the player's script, and the worker starts from a Blob URL of it: the archive's pages allow
 * `worker-src blob:` and nothing else (scripts/offline/pages.ts).
 */
let inlineUrl: string | null = null;

export function startSimWorker(): Worker {
  const inlineSource = import.meta.env.OPSLAB_SIM_WORKER_SOURCE;
  if (inlineSource) {
    // One Blob URL for every player on the page, kept for the page's life: a worker may still be reading it.
    inlineUrl ??= URL.createObjectURL(new Blob([inlineSource], { type: 'text/javascript' }));
    return new Worker(inlineUrl, { name: 'sim-worker' });
  }
  return new Worker(new URL('./sim-worker.ts', import.meta.url), { type: 'module' });
}
