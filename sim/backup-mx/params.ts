/** The knobs of the backup-MX simulation; units in the names, switches as choices. */
import type { ParamSpecs } from '../core/index.ts';

export type BackupMxParams = {
  durationHours: number;
  outageStartHours: number;
  outageHours: number;
  primaryFault: number;
  slowReplySec: number;
  primaryHosts: number;
  hostsUpInOutage: number;
  backupMode: number;
  calloutDeferOk: number;
  domainNegativeExpireMin: number;
  primaryRefusesNullSender: number;
  calloutTimeoutSec: number;
  positiveExpireMin: number;
  negativeExpireMin: number;
  legitPerHour: number;
  shortExpiryPct: number;
  shortExpiryHours: number;
  postfixPct: number;
  exchangePct: number;
  eximGiveUpHours: number;
  eximDelayWarningHours: number;
  postfixLifetimeHours: number;
  postfixDelayWarningHours: number;
  exchangeExpiryHours: number;
  exchangeDelayNoticeHours: number;
  users: number;
  spamPerHour: number;
  spamToBackupPct: number;
  spamInvalidPct: number;
  primaryFilterPct: number;
};

export const PRIMARY_FAULTS = ['timeout', 'refusing', 'slow'] as const;
export const BACKUP_MODES = ['none', 'relay', 'callout-acl'] as const;

export const backupMxParams: ParamSpecs<BackupMxParams> = {
  durationHours: { kind: 'number', label: 'Simulated time', unit: 'h', min: 6, max: 168, step: 1, default: 24, help: 'Length of the run; it starts on a Monday at 18:00. A week shows every sender give up.' },
  outageStartHours: { kind: 'number', label: 'Primary fails after', unit: 'h', min: 0, max: 120, step: 0.25, default: 4, help: 'When the primary stops answering, in hours from the start (4 is 22:00).' },
  outageHours: { kind: 'number', label: 'Outage length', unit: 'h', min: 0, max: 168, step: 0.25, default: 12.75, help: 'How long the primary stays down. 0 is no outage.' },
  primaryFault: {
    kind: 'choice',
    label: 'How the primary fails',
    options: [
      { value: 0, label: 'powered off: connections time out' },
      { value: 1, label: 'MTA stopped: connections refused' },
      { value: 2, label: 'overloaded: answers slowly' },
    ],
    default: 0,
    help: 'A dead machine answers nothing, so every connection waits for its timeout; a stopped MTA is refused at once; a slow one answers, late.',
  },
  slowReplySec: { kind: 'number', label: 'Slow reply time', unit: 's', min: 1, max: 120, step: 1, default: 45, help: 'With an overloaded primary: how long it takes to answer each SMTP command.' },
  primaryHosts: { kind: 'number', label: 'Primary hosts', unit: '', min: 1, max: 3, step: 1, default: 1, help: 'MX hosts of preference 10. Senders and callouts try them in order, each after the last one failed.' },
  hostsUpInOutage: { kind: 'number', label: 'Primary hosts still up in the outage', unit: '', min: 0, max: 2, step: 1, default: 0, help: 'The last hosts in MX order that keep answering while the others fail. At least one host fails.' },
  backupMode: {
    kind: 'choice',
    label: 'Backup MX',
    options: [
      { value: 0, label: 'none' },
      { value: 1, label: 'plain relay: accepts every address' },
      { value: 2, label: 'callout ACL: accepts only while the primary is down' },
    ],
    default: 2,
    help: 'What answers at the MX of preference 20.',
  },
  calloutDeferOk: {
    kind: 'choice',
    label: 'The deny’s verify',
    options: [
      { value: 0, label: 'callout=30s: a callout that cannot complete defers the RCPT' },
      { value: 1, label: 'callout=30s,defer_ok: it counts as verified (the source)' },
    ],
    default: 1,
    help: 'Without defer_ok, a callout that reaches no primary host answers 451 Could not complete recipient verify callout.',
  },
  domainNegativeExpireMin: { kind: 'number', label: 'callout_domain_negative_expire', unit: 'min', min: 1, max: 1440, step: 1, default: 180, help: 'How long a domain that refused MAIL FROM:<> is believed to refuse every address (default 3 h).', scale: 'log' },
  primaryRefusesNullSender: {
    kind: 'choice',
    label: 'Primary and MAIL FROM:<>',
    options: [
      { value: 0, label: 'accepts it, as RFC 5321 requires' },
      { value: 1, label: 'refuses it with 550 (a misconfiguration)' },
    ],
    default: 0,
    help: 'A callout sends MAIL FROM:<>; a primary that refuses it fails every callout, and Exim caches that for the whole domain.',
  },
  calloutTimeoutSec: { kind: 'number', label: 'Callout timeout', unit: 's', min: 1, max: 120, step: 1, default: 30, help: 'callout=30s: the wait for the connection and for each answer during a callout.' },
  positiveExpireMin: { kind: 'number', label: 'callout_positive_expire', unit: 'min', min: 1, max: 2880, step: 1, default: 1440, help: 'How long a positive callout result is cached. Exim’s default is 24 h; the source sets 5 min.', scale: 'log' },
  negativeExpireMin: { kind: 'number', label: 'callout_negative_expire', unit: 'min', min: 1, max: 1440, step: 1, default: 120, help: 'How long a negative callout result is cached (default 2 h).', scale: 'log' },
  legitPerHour: { kind: 'number', label: 'Real mail', unit: '/h', min: 0, max: 600, step: 1, default: 30, help: 'Messages an hour from other people’s mail servers, all to real users.', scale: 'log' },
  shortExpiryPct: { kind: 'number', label: 'From short-expiry senders', unit: '%', min: 0, max: 100, step: 1, default: 10, help: 'Share of real mail from servers configured to give up early, like the source’s correspondent.' },
  shortExpiryHours: { kind: 'number', label: 'Short-expiry senders give up after', unit: 'h', min: 1, max: 48, step: 1, default: 5, help: 'Stands for any sender configured to give up early; 5 h is the source’s correspondent. The defaults are longer: Exim 4 days, Postfix 5 days, Exchange 2 days.' },
  postfixPct: { kind: 'number', label: 'Of the rest, from Postfix', unit: '%', min: 0, max: 100, step: 1, default: 40, help: 'Postfix keeps trying for 5 days by default.' },
  exchangePct: { kind: 'number', label: 'Of the rest, from Exchange', unit: '%', min: 0, max: 100, step: 1, default: 25, help: 'Exchange keeps trying for 2 days by default and tells the sender after 4 hours; the others are Exim, which keeps trying for 4 days.' },
  eximGiveUpHours: { kind: 'number', label: 'Exim retry rule’s last time', unit: 'h', min: 17, max: 168, step: 1, default: 96, help: 'F,2h,15m; G,16h,1h,1.5; F,<this>,6h. Past it, the next failed try bounces the message. Default 4d.' },
  eximDelayWarningHours: { kind: 'number', label: 'Exim delay_warning', unit: 'h', min: 0, max: 96, step: 1, default: 24, help: 'Exim warns the sender each time a message has waited this long more (default 24h). 0 is off.' },
  postfixLifetimeHours: { kind: 'number', label: 'Postfix maximal_queue_lifetime', unit: 'h', min: 1, max: 168, step: 1, default: 120, help: 'The first failed try of a message older than this bounces it (default 5d).' },
  postfixDelayWarningHours: { kind: 'number', label: 'Postfix delay_warning_time', unit: 'h', min: 0, max: 48, step: 1, default: 0, help: 'One warning to the sender once a message has waited this long. The default, 0, is off.' },
  exchangeExpiryHours: { kind: 'number', label: 'Exchange MessageExpirationTimeout', unit: 'h', min: 1, max: 168, step: 1, default: 48, help: 'Exchange returns a message older than this as undeliverable (default 2 days).' },
  exchangeDelayNoticeHours: { kind: 'number', label: 'Exchange DelayNotificationTimeout', unit: 'h', min: 0, max: 48, step: 1, default: 4, help: 'One delay notice to the sender once a message has waited this long (default 4 hours). 0 is off.' },
  users: { kind: 'number', label: 'Mailboxes', unit: '', min: 1, max: 500, step: 1, default: 40, help: 'Valid addresses in the domain. Only the primary knows which they are.', scale: 'log' },
  spamPerHour: { kind: 'number', label: 'Spam', unit: '/h', min: 0, max: 3000, step: 1, default: 30, help: 'Spam connections an hour. Spammers try one server once and never retry.', scale: 'log' },
  spamToBackupPct: { kind: 'number', label: 'Spam aimed at the backup', unit: '%', min: 0, max: 100, step: 1, default: 80, help: 'Share of spam sent straight to the backup MX, on the bet that it checks less.' },
  spamInvalidPct: { kind: 'number', label: 'Spam to made-up addresses', unit: '%', min: 0, max: 100, step: 1, default: 50, help: 'Share of spam sent to guessed addresses that do not exist.' },
  primaryFilterPct: { kind: 'number', label: 'Primary’s spam filter', unit: '%', min: 0, max: 100, step: 1, default: 90, help: 'Share of spam the primary refuses at RCPT (blocklists, checks) when the spammer connects to it directly. Mail relayed by the backup comes from a trusted host and is not filtered.' },
};

export const backupMxParamGroups = [
  { label: 'Primary', keys: ['outageStartHours', 'outageHours', 'primaryFault', 'slowReplySec', 'primaryHosts', 'hostsUpInOutage', 'primaryFilterPct'] },
  { label: 'Backup', keys: ['backupMode', 'calloutDeferOk', 'calloutTimeoutSec', 'positiveExpireMin', 'negativeExpireMin', 'domainNegativeExpireMin', 'primaryRefusesNullSender'] },
  { label: 'Senders', keys: ['legitPerHour', 'shortExpiryPct', 'shortExpiryHours', 'postfixPct', 'exchangePct', 'users'] },
  { label: 'Senders’ limits', keys: ['eximGiveUpHours', 'eximDelayWarningHours', 'postfixLifetimeHours', 'postfixDelayWarningHours', 'exchangeExpiryHours', 'exchangeDelayNoticeHours'] },
  { label: 'Spam', keys: ['spamPerHour', 'spamToBackupPct', 'spamInvalidPct'] },
  { label: 'Run', keys: ['durationHours'] },
] as const satisfies readonly { label: string; keys: readonly (keyof BackupMxParams)[] }[];
