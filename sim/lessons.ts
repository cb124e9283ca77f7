/**
 * Every lesson, named once: its id and how to load its simulation. A new
 * lesson adds one line here, and nothing else lists lessons: the Node registry
 * (sim/index.ts) and the browser's lazy loaders (sim/loaders.ts) are derived
 * from this list. Each loader is a literal `import()` so the bundler gives each
 * lesson a chunk of its own, and a page downloads only the lesson it shows.
 */
import type { AnySimulation } from './core/simulation.ts';

export const lessons = {
  'syn-queue': () => import('./syn-queue/index.ts'),
  'cache-stampede': () => import('./cache-stampede/index.ts'),
  'token-bucket': () => import('./token-bucket/index.ts'),
  'backup-mx': () => import('./backup-mx/index.ts'),
  pagination: () => import('./pagination/index.ts'),
  'ssh-forwarding': () => import('./ssh-forwarding/index.ts'),
} satisfies Record<string, () => Promise<object>>;

export type LessonId = keyof typeof lessons;

export const lessonIds = Object.keys(lessons) as LessonId[];

/**
 * The simulation a lesson's module exports: the one export whose `id` is the lesson's. A module
 * that exports none, or two, is a mistake in the lesson, said plainly rather than guessed around.
 */
export function simulationIn(module: object, id: string): AnySimulation {
  const found = Object.values(module).filter(
    (v): v is AnySimulation => typeof v === 'object' && v !== null && (v as AnySimulation).id === id && typeof (v as AnySimulation).run === 'function',
  );
  if (found.length !== 1) {
    throw new Error(`sim/${id}/index.ts must export exactly one simulation with id "${id}"; found ${found.length}`);
  }
  return found[0]!;
}
