import { describe, expect, test } from 'vitest';
import { backupMx } from '../../sim/backup-mx/index.ts';
import { speedLabel, SECONDS_CLOCK } from '../../sim/core/index.ts';
import { sshForwarding } from '../../sim/ssh-forwarding/index.ts';
import { tokenBucket } from '../../sim/token-bucket/index.ts';
import { clockText } from '../../site/panels/frame.ts';

describe('the player clock', () => {
  test('seconds lessons read as before', () => {
    expect(clockText(tokenBucket, 12.34, 60, 'short')).toBe('12.3 s / 60 s');
    expect(clockText(tokenBucket, 250, 300, 'words')).toBe('250 of 300 seconds');
    expect(speedLabel(SECONDS_CLOCK, 10)).toBe('10×');
  });

  test('an hours lesson reads in hours, with the time of day of its run', () => {
    expect(clockText(backupMx, 4.25 * 3600, 86400, 'short')).toBe('4.25 h / 24 h · Mon 22:15');
    expect(clockText(backupMx, 30 * 3600, 48 * 3600, 'words')).toBe('30 of 48 hours, Wed 00:00');
    expect(speedLabel(backupMx.clock!, 1800)).toBe('0.5 h/s');
  });

  test('a clock in words says one unit in the singular and any other count in the plural', () => {
    expect(clockText(tokenBucket, 1, 1, 'words')).toBe('1 of 1 second');
    expect(clockText(sshForwarding, 1, 1, 'short')).toBe('1 step / 1 step');
    expect(clockText(sshForwarding, 1, 1, 'words')).toBe('1 of 1 step');
    expect(clockText(sshForwarding, 1, 16, 'short')).toBe('1 step / 16 steps');
    expect(clockText(sshForwarding, 0, 16, 'short')).toBe('0 steps / 16 steps');
  });
});
