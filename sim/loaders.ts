/**
 * Lazy loaders for the browser: a page downloads only the simulation it shows.
 * Keep in step with sim/index.ts (a test checks that both list the same ids).
 */
import type { AnySimulation } from './core/index.ts';

export const simulationLoaders: Record<string, () => Promise<AnySimulation>> = {
  'syn-queue': () => import('./syn-queue/index.ts').then((m) => m.synQueue),
  'cache-stampede': () => import('./cache-stampede/index.ts').then((m) => m.cacheStampede),
  'token-bucket': () => import('./token-bucket/index.ts').then((m) => m.tokenBucket),
  'backup-mx': () => import('./backup-mx/index.ts').then((m) => m.backupMx),
  pagination: () => import('./pagination/index.ts').then((m) => m.pagination),
  'ssh-forwarding': () => import('./ssh-forwarding/index.ts').then((m) => m.sshForwarding),
};

/**
 * Where this module is served from. The simulation worker imports the loaders from this address,
 * so it runs the very chunks the page already has (from the browser's cache) instead of a copy.
 */
export const loadersUrl: string = import.meta.url;
