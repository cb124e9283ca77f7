/** The offline archive's published name, shared by the pages that offer it and the scripts that make it. */

/** opslab-offline-<version>.zip, or opslab-offline-<version>-with-postgres.zip with the live PostgreSQL console. */
export function archiveName(version: string, withPostgres: boolean): string {
  return `opslab-offline-${version}${withPostgres ? '-with-postgres' : ''}.zip`;
}

/** Where the built site publishes it, under its base path. */
export const DOWNLOADS_DIR = 'downloads/';
