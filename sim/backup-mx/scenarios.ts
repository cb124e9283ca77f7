/**
 * Named presets shared by the tests and the article. The outage (22:00 to
 * 10:45, nearly 13 hours), the sender that gives up after five hours, callout=30s and
 * callout_positive_expire = 5m come from the source post; the traffic
 * figures are ours, chosen to make each effect plain.
 */
import type { Scenario } from '../core/index.ts';
import { BACKUP_MODES, type BackupMxParams } from './params.ts';

const mode = (name: (typeof BACKUP_MODES)[number]) => BACKUP_MODES.indexOf(name);

/** The source's outage: the power supply fails at 22:00 (4 h into a run starting at 18:00) and is replaced at 10:45. */
const outage: Partial<BackupMxParams> = { outageStartHours: 4, outageHours: 12.75, primaryFault: 0, durationHours: 24 };

export const backupMxScenarios: Scenario<BackupMxParams>[] = [
  {
    id: 'outage-no-backup',
    title: 'The 13-hour outage with no backup MX',
    summary: 'The primary dies at 22:00 and comes back at 10:45. Senders queue the mail and retry; those that give up after a few hours bounce it, and their users never see it.',
    params: { ...outage, backupMode: mode('none') },
    seed: 11,
  },
  {
    id: 'outage-callout-acl',
    title: 'The same outage, with the callout ACL on the backup',
    summary: 'Once its callouts to the primary time out, the backup accepts everything for the domain and queues it. No real mail bounces; spam sent during the outage gets in too, and guessed addresses turn into backscatter when the primary returns.',
    params: { ...outage, backupMode: mode('callout-acl'), positiveExpireMin: 5 },
    seed: 11,
  },
  {
    id: 'primary-up',
    title: 'The primary is up: the backup sends everyone to it',
    summary: 'Spam aimed at the backup meets its callouts: guessed addresses get 550 as the primary would give, real ones get 451 and a polite request to use the primary, which spambots never follow.',
    params: { backupMode: mode('callout-acl'), outageHours: 0, positiveExpireMin: 5, spamPerHour: 120, durationHours: 12 },
    seed: 13,
  },
  {
    id: 'positive-cache-trap',
    title: 'A 24-hour positive cache: the backup keeps deferring',
    summary: 'With Exim’s default callout_positive_expire, every address verified in the last day is answered from the cache as if the primary were up, so the backup defers its mail through the outage. The short-expiry senders bounce again.',
    params: { ...outage, backupMode: mode('callout-acl'), positiveExpireMin: 1440, spamPerHour: 60 },
    seed: 11,
  },
  {
    id: 'relay-spam-run',
    title: 'A plain relay backup during a spam run',
    summary: 'A backup that accepts every address in the domain takes the whole run, relays the spam past the primary’s filter, and bounces every guessed address to a forged sender.',
    params: { backupMode: mode('relay'), outageHours: 0, spamPerHour: 600, durationHours: 12 },
    seed: 17,
  },
  {
    id: 'slow-primary',
    title: 'An overloaded primary: slow, not down',
    summary: 'The primary answers each command after 45 s. Senders wait and deliver to it, but the backup’s 30-second callouts time out, so the backup takes whatever spam is aimed at it.',
    params: { ...outage, outageHours: 6, primaryFault: 2, slowReplySec: 45, backupMode: mode('callout-acl'), positiveExpireMin: 5, durationHours: 12 },
    seed: 19,
  },
  {
    id: 'week-outage',
    title: 'A primary lost for a week, and no backup: who tells, who gives up',
    summary: 'The primary dies at 22:00 on Monday and never comes back. Each kind of sender warns its user when its delay notice is due, then bounces the message at its own limit: the short-expiry sender after hours, Exchange after two days, Exim after four days of failure, Postfix after five.',
    params: { ...outage, outageHours: 164, durationHours: 168, backupMode: mode('none'), legitPerHour: 4, spamPerHour: 4 },
    seed: 23,
  },
];
