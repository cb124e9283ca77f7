/** The backup-MX simulation: the one thing site/ and the tests import from this folder. */
import type { Simulation } from '../core/index.ts';
import { smtpMachine } from './machine.ts';
import { wallClock } from './clock.ts';
import { stateSeriesKey } from '../core/machine-states.ts';
import { SMTP_STATES, type SeriesKey, type SummaryKey } from './keys.ts';
import { runBackupMx } from './model.ts';
import { backupMxParamGroups, backupMxParams, type BackupMxParams } from './params.ts';
import { backupMxScenarios } from './scenarios.ts';

export type { BackupMxParams } from './params.ts';

const primaryDown = [{ key: 'primaryDown', label: 'primary down' }] as const;

export const backupMx: Simulation<BackupMxParams, SeriesKey, SummaryKey> = {
  id: 'backup-mx',
  title: 'A backup MX that only works when the primary is down',
  summary: 'Senders queue and retry when the primary mail server dies; some give up too soon. A backup MX catches their mail but attracts spam, unless it asks the primary, with Exim recipient callouts, and steps aside while the primary answers.',
  params: backupMxParams,
  paramGroups: backupMxParamGroups,
  scenarios: backupMxScenarios,
  // The share was named for the source's five hours before the expiry became a parameter.
  formerParamKeys: { fiveHourPct: 'shortExpiryPct' },
  durationSec: (p) => p.durationHours * 3600,
  run: runBackupMx,
  machines: { smtp: smtpMachine },
  clock: {
    unitSec: 3600,
    unit: 'h',
    words: 'hours',
    stepSec: 900,
    stepWords: '15 minutes',
    bigStepWords: '2.5 hours',
    speeds: [900, 1800, 3600, 7200, 14400],
    defaultSpeed: 3600,
    wallClock: (tSec) => wallClock(tSec * 1000),
  },
  view: {
    charts: [
      {
        id: 'queues',
        title: 'Mail waiting, and where',
        unit: 'messages',
        series: [
          { key: 'senderQueue', label: 'real mail in senders’ queues' },
          { key: 'backupQueue', label: 'anything in the backup’s queue' },
        ],
        bands: primaryDown,
        describe: 'The most messages waiting in each five minutes: real mail in the queues of the servers that sent it, and everything (spam included) in the backup’s own queue, with the primary’s outage shaded.',
      },
      {
        id: 'real-mail',
        title: 'Real mail, so far',
        unit: 'messages',
        series: [
          { key: 'deliveredDirect', label: 'delivered directly', runningTotal: true },
          { key: 'deliveredAfterRetry', label: 'after sender retries', runningTotal: true },
          { key: 'deliveredViaBackup', label: 'via the backup', runningTotal: true },
          { key: 'bounced', label: 'bounced: lost', runningTotal: true },
        ],
        bands: primaryDown,
        describe: 'Running totals of real messages by how they ended: delivered to the primary first time, delivered after the sender retried, relayed by the backup, or bounced back to the sender.',
      },
      {
        id: 'spam',
        title: 'Spam, so far',
        unit: 'messages',
        series: [
          { key: 'spamRefused', label: 'turned away', runningTotal: true },
          { key: 'spamDelivered', label: 'reached a mailbox', runningTotal: true },
          { key: 'backscatter', label: 'backscatter sent', runningTotal: true },
        ],
        bands: primaryDown,
        describe: 'Running totals of spam: refused at RCPT or deferred (spambots never retry), delivered to a real mailbox, or accepted for a made-up address and later bounced to a forged sender.',
      },
      {
        id: 'cache',
        title: 'The backup’s callout cache',
        unit: 'addresses',
        series: [
          { key: 'cachePositive', label: 'positive records' },
          { key: 'cacheNegative', label: 'negative records' },
        ],
        bands: primaryDown,
        describe: 'Addresses with an unexpired callout result in the backup’s cache: a positive record makes the backup defer mail for that address without asking the primary.',
      },
    ],
    outcomeGroups: [
      {
        title: 'Real mail',
        attempts: 'legit',
        outcomes: [
          { key: 'deliveredDirect', label: 'delivered directly', series: 'deliveredDirect', tone: 'good' },
          { key: 'deliveredAfterRetry', label: 'delivered after sender retries', series: 'deliveredAfterRetry', tone: 'neutral' },
          { key: 'deliveredViaBackup', label: 'delivered via the backup', series: 'deliveredViaBackup', tone: 'neutral' },
          { key: 'bounced', label: 'bounced to the sender: lost', series: 'bounced', tone: 'bad' },
        ],
      },
      {
        title: 'Spam',
        attempts: 'spam',
        outcomes: [
          { key: 'spamRefused', label: 'turned away', series: 'spamRefused', tone: 'good' },
          { key: 'spamDelivered', label: 'reached a mailbox', series: 'spamDelivered', tone: 'bad' },
          { key: 'backscatter', label: 'accepted, then backscatter', series: 'backscatter', tone: 'bad' },
        ],
      },
    ],
    counters: [
      { series: 'callouts', label: 'callouts made' },
      { series: 'cacheHits', label: 'callouts answered from cache' },
      { series: 'rcpt250', label: 'RCPT 250' },
      { series: 'rcpt451', label: 'RCPT 451' },
      { series: 'rcpt550', label: 'RCPT 550' },
      { series: 'senderRetries', label: 'sender deferrals' },
      { series: 'delayNotices', label: 'delay notices to senders’ users' },
    ],
    countersTitle: 'At the backup, so far',
    countersNote: 'eximstats counts the same RCPT replies as Rejects (550) and Temporary Rejects (451). Sender deferrals are the other servers’ failed attempts; delay notices are the warnings they send their own users about late mail.',
    diagram: {
      machine: 'smtp',
      title: 'One SMTP transaction at the backup, through the ACL',
      caption: 'The number in each box is how many transactions entered that state in the current five minutes.',
      counting: 'transactions',
      stateSeries: Object.fromEntries(SMTP_STATES.map((s) => [s, stateSeriesKey(s)])),
    },
    picture: {
      renderer: 'backup-mx',
      title: 'Where the mail is, and what each server answers',
      caption: 'The senders, the backup MX and the primary in the five minutes up to the clock’s time. Queues, retry timers and the callout cache are counted at that time; the arrows count the five minutes’ attempts by the reply they got (250 taken, 451 try later, 550 refused, or no reply). The backup’s queue also shows its peak, the chart’s number.'
    },
    inspector: {
      title: 'An SMTP session at the backup',
      caption: 'Pick a session logged up to the cursor to read the dialogue, with each ACL statement the RCPT passed through and each callout it made (lines starting with # are the backup’s reasoning, not sent).',
      kinds: ['rcpt-250', 'rcpt-451', 'rcpt-550'],
      pickLabel: 'Session',
    },
    logWindow: '5 minutes',
  },
};

