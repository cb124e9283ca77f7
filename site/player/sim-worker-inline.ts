/**
 * The offline archive's simulation worker. Chromium starts no worker from a file:// address, so
 * the archive's bundle (scripts/offline/scripts.ts) builds this file with every simulation inside
 * it, and the player starts it from a Blob URL of that code (worker-start.ts). It ignores the
 * loaders address the page sends: its loaders are its own, the same modules the page runs.
 */
import * as loaders from '../../sim/loaders.ts';
import { serveSimulations } from './sim-service.ts';

serveSimulations(() => Promise.resolve(loaders));
