/// <reference types="astro/client" />

interface ImportMetaEnv {
  /** Set only in the offline bundle (scripts/bundle.ts): no worker there. */
  readonly OPSLAB_OFFLINE?: boolean;
}
