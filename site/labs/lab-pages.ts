/** What a lab's two pages (the students' page and its facilitator's guide) share: their paths and their simulation. */
import { getCollection, type CollectionEntry } from 'astro:content';
import { getSimulation } from '../../sim/index.ts';

export async function labPaths() {
  const labs = await getCollection('labs');
  return labs.map((entry: CollectionEntry<'labs'>) => ({ params: { id: entry.id }, props: { entry } }));
}

/** The lab's simulation, and the students' page's path (with the site's base), which both pages link to. */
export function labSetup(entry: CollectionEntry<'labs'>, base: string) {
  const sim = getSimulation(entry.data.sim);
  if (!sim) throw new Error(`lab ${entry.id}: unknown simulation ${entry.data.sim}`);
  return { sim, labPage: `${base}labs/${entry.id}/` };
}
