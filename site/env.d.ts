/// <reference types="astro/client" />

/** Set only in the offline archive's scripts (scripts/offline/scripts.ts builds them with esbuild). */
interface ImportMetaEnv {
  /** True in the archive's scripts. */
  readonly OPSLAB_OFFLINE?: boolean;
  /** The archive player script's own source, which starts again as the simulation worker from a Blob URL (site/player/worker-start.ts). */
  readonly OPSLAB_SIM_WORKER_SOURCE?: string;
  /** PostgreSQL's worker script, relative to the archive's root, when the archive includes it (OPSLAB_WITH_PG=1); empty when it does not. */
  readonly OPSLAB_PG_WORKER?: string;
  /** The version of the archive (package.json), for the words that say where to get a newer one. */
  readonly OPSLAB_VERSION?: string;
}
