/**
 * The site's simulation worker (see runner.ts for when it starts). It carries no simulation code
 * of its own: the page sends the address of its loaders module, and the worker imports that, so
 * the model it runs is the page's own chunks, already in the browser's cache.
 */
import { serveSimulations, type Loaders } from './sim-service.ts';

serveSimulations((loadersUrl) => import(/* @vite-ignore */ loadersUrl) as Promise<Loaders>);
