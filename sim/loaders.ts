/**
 * Lazy loaders for the browser, derived from the one list of lessons
 * (sim/lessons.ts): a page downloads only the simulation it shows.
 */
import type { AnySimulation } from './core/simulation.ts';
import { lessons, simulationIn } from './lessons.ts';

export const simulationLoaders: Record<string, () => Promise<AnySimulation>> = Object.fromEntries(
  Object.entries(lessons).map(([id, load]) => [id, () => load().then((module) => simulationIn(module, id))]),
);

/**
 * Where this module is served from. The simulation worker imports the loaders from this address,
 * so it runs the very chunks the page already has (from the browser's cache) instead of a copy.
 */
export const loadersUrl: string = import.meta.url;
