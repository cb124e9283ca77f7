/** Any backup-MX parameters the property tests try: every lever within its range, runs kept short. */
import fc from 'fast-check';
import type { BackupMxParams } from '../../sim/backup-mx/params.ts';

export const arbitraryParams = fc.record<Partial<BackupMxParams>>({
  durationHours: fc.integer({ min: 6, max: 30 }),
  outageStartHours: fc.integer({ min: 0, max: 40 }).map((x) => x / 4),
  outageHours: fc.integer({ min: 0, max: 100 }).map((x) => x / 4),
  primaryFault: fc.constantFrom(0, 1, 2),
  slowReplySec: fc.integer({ min: 1, max: 120 }),
  primaryHosts: fc.integer({ min: 1, max: 3 }),
  hostsUpInOutage: fc.integer({ min: 0, max: 2 }),
  backupMode: fc.constantFrom(0, 1, 2),
  calloutDeferOk: fc.constantFrom(0, 1),
  domainNegativeExpireMin: fc.integer({ min: 1, max: 1440 }),
  primaryRefusesNullSender: fc.constantFrom(0, 0, 0, 1),
  calloutTimeoutSec: fc.integer({ min: 1, max: 120 }),
  positiveExpireMin: fc.integer({ min: 1, max: 2880 }),
  negativeExpireMin: fc.integer({ min: 1, max: 1440 }),
  legitPerHour: fc.integer({ min: 0, max: 120 }),
  shortExpiryPct: fc.integer({ min: 0, max: 100 }),
  shortExpiryHours: fc.integer({ min: 1, max: 48 }),
  postfixPct: fc.integer({ min: 0, max: 100 }),
  users: fc.integer({ min: 1, max: 500 }),
  spamPerHour: fc.integer({ min: 0, max: 300 }),
  spamToBackupPct: fc.integer({ min: 0, max: 100 }),
  spamInvalidPct: fc.integer({ min: 0, max: 100 }),
  primaryFilterPct: fc.integer({ min: 0, max: 100 }),
});
