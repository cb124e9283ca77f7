/** Any SYN-queue parameters the property tests try: every knob, small enough that hundreds of runs stay fast. */
import fc from 'fast-check';
import { normalizeParams } from '../../sim/core/index.ts';
import { synQueue, type SynQueueParams } from '../../sim/syn-queue/index.ts';
import { KERNELS } from '../../sim/syn-queue/kernels.ts';

/** The ranges, with the broken clients', the flood's and the run's length as a test wants them. */
export function arbitraryParams(mix: { brokenHalvesMax: number; floodTensMax: number; floodStartMaxSec: number; durationsSec: number[] }): fc.Arbitrary<SynQueueParams> {
  return fc
    .record({
      kernel: fc.constantFrom(...KERNELS),
      // From -1 (which listen() reads as somaxconn) through 0 to past somaxconn.
      backlog: fc.integer({ min: -1, max: 300 }),
      somaxconn: fc.integer({ min: 1, max: 4096 }),
      tcp_max_syn_backlog: fc.integer({ min: 16, max: 600 }),
      tcp_synack_retries: fc.integer({ min: 0, max: 6 }),
      tcp_syn_retries: fc.integer({ min: 0, max: 6 }),
      tcp_syn_linear_timeouts: fc.integer({ min: 0, max: 6 }),
      brokenSynRetries: fc.integer({ min: 0, max: 6 }),
      tcp_syncookies: fc.constantFrom(0, 1, 2),
      tcp_abort_on_overflow: fc.constantFrom(0, 1),
      rttMs: fc.integer({ min: 1, max: 1000 }),
      clientsPerSec: fc.integer({ min: 0, max: 200 }),
      brokenPerSec: fc.integer({ min: 0, max: mix.brokenHalvesMax }).map((n) => n / 2),
      floodPerSec: fc.integer({ min: 0, max: mix.floodTensMax }).map((n) => n * 10),
      floodStartSec: fc.integer({ min: 0, max: mix.floodStartMaxSec }),
      floodDurationSec: fc.integer({ min: 0, max: 60 }),
      acceptPerSec: fc.integer({ min: 1, max: 400 }),
      durationSec: fc.constantFrom(...mix.durationsSec),
    })
    .map((p) => normalizeParams(synQueue.params, p).params);
}
