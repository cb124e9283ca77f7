/**
 * The registry for Node and the build: every simulation, by id, loaded from
 * the one list of lessons (sim/lessons.ts). The browser uses sim/loaders.ts,
 * which loads one lesson at a time, instead.
 */
import type { AnySimulation } from './core/index.ts';
import { lessons, simulationIn } from './lessons.ts';

export const simulations: Record<string, AnySimulation> = Object.fromEntries(
  await Promise.all(Object.entries(lessons).map(async ([id, load]) => [id, simulationIn(await load(), id)] as const)),
);

export function getSimulation(id: string): AnySimulation | undefined {
  return Object.hasOwn(simulations, id) ? simulations[id] : undefined;
}
