/**
 * Starts the simulation worker. On the site it is the module Vite builds from sim-worker.ts. In
 * the offline archive a worker script cannot be loaded from the folder (Chromium refuses one from
 * a file:// page), so the archive's player script is its own worker: the bundle (scripts/offline/
 * scripts.ts) keeps its source text in a global, which this starts from a Blob URL; there the same
 * code finds no document and serves simulations. The archive's pages allow `worker-src blob:` and
 * nothing else (scripts/offline/pages.ts).
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
