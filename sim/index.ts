/**
 * The registry: every simulation, by id. A new simulation adds one line here.
 */
import type { AnySimulation } from './core/index.ts';
import { backupMx } from './backup-mx/index.ts';
import { cacheStampede } from './cache-stampede/index.ts';
import { pagination } from './pagination/index.ts';
import { sshForwarding } from './ssh-forwarding/index.ts';
import { synQueue } from './syn-queue/index.ts';
import { tokenBucket } from './token-bucket/index.ts';

export const simulations: Record<string, AnySimulation> = {
  [synQueue.id]: synQueue,
  [cacheStampede.id]: cacheStampede,
  [tokenBucket.id]: tokenBucket,
  [backupMx.id]: backupMx,
  [pagination.id]: pagination,
  [sshForwarding.id]: sshForwarding,
};

export function getSimulation(id: string): AnySimulation | undefined {
  return Object.hasOwn(simulations, id) ? simulations[id] : undefined;
}
