export * from './prng.ts';
export * from './event-queue.ts';
export * from './hash.ts';
export * from './params.ts';
export * from './trace.ts';
export * from './simulation.ts';
export * from './url.ts';
export * from './machine-table.ts';
