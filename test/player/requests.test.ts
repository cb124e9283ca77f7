import { describe, expect, test } from 'vitest';
import { backupMx } from '../../sim/backup-mx/index.ts';
import { changesFrom, figureTitle, scenarioRequest, withParams } from '../../site/player/requests.ts';

const scenario = backupMx.scenarios.find((s) => s.id === 'outage-no-backup')!;
const plain = scenarioRequest(backupMx, 'outage-no-backup');
const relay = withParams(backupMx, plain, { backupMode: 1 }).request;

describe('a figure’s title and its changes', () => {
  test('a figure that starts from its scenario as it is carries the scenario’s title alone', () => {
    expect(figureTitle(backupMx, scenario.title, plain)).toBe(scenario.title);
  });

  test('a figure that sets a parameter of its own says so in its title, so the title never contradicts the picture', () => {
    expect(figureTitle(backupMx, scenario.title, relay)).toBe(`${scenario.title}, here with Backup MX: plain relay: accepts every address`);
  });

  test('what the reader changed is counted from the figure’s own start, not from the scenario', () => {
    expect(changesFrom(backupMx, relay, relay)).toEqual([]);
    expect(changesFrom(backupMx, relay, plain)).toEqual(['Backup MX none (was plain relay: accepts every address)']);
  });
});
