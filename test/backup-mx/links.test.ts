/**
 * Links to the backup-MX lesson written before the short-expiry share was renamed: the codec
 * reads the former key `fiveHourPct` as `shortExpiryPct`, and writes only the new one.
 */
import { describe, expect, test } from 'vitest';
import { decodeState, encodeState } from '../../sim/core/index.ts';
import { backupMx } from '../../sim/backup-mx/index.ts';

describe('backup-mx links', () => {
  test('an old link’s fiveHourPct sets the short-expiry share, with no note', () => {
    const { state, notes } = decodeState(backupMx, '?scenario=outage-no-backup&fiveHourPct=30&shortExpiryHours=12');
    expect(notes).toEqual([]);
    expect(state.params.shortExpiryPct).toBe(30);
    expect(state.params.shortExpiryHours).toBe(12);
    expect(Object.hasOwn(state.params, 'fiveHourPct')).toBe(false);
  });

  test('the address bar writes the new key for a state an old link opened', () => {
    const { state } = decodeState(backupMx, '?scenario=outage-no-backup&fiveHourPct=30');
    expect(encodeState(backupMx, state)).toBe('scenario=outage-no-backup&shortExpiryPct=30');
  });

  test('an old key is range-checked like the new one', () => {
    const { state, notes } = decodeState(backupMx, '?scenario=outage-no-backup&fiveHourPct=250');
    expect(state.params.shortExpiryPct).toBe(100);
    expect(notes.join(' ')).toMatch(/shortExpiryPct/);
  });

  test('when a link has both keys, the first one written wins, as for any repeated key', () => {
    expect(decodeState(backupMx, '?shortExpiryPct=20&fiveHourPct=30').state.params.shortExpiryPct).toBe(20);
    expect(decodeState(backupMx, '?fiveHourPct=30&shortExpiryPct=20').state.params.shortExpiryPct).toBe(30);
  });

  test('a key that is only a property of every object is still an unknown key', () => {
    const { notes } = decodeState(backupMx, '?constructor=1&toString=2');
    expect(notes).toEqual(['ignored unknown keys constructor, toString']);
  });
});
