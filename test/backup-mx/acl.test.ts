/**
 * The backup's RCPT ACL against a table written from the Exim specification
 * (chapter "Access control lists": the warn verb, callout verification with
 * defer_ok, callout caching), for every combination the lesson cares about:
 * how the primary behaves, whether the address is real, and what the callout
 * cache holds. Each row says what a sender sees, which statement decided, how
 * many connections the backup made to the primary, how long the RCPT waited
 * (a prompt primary answers a callout in 0.2 s in this simulation),
 * and what the cache holds afterwards.
 */
import { describe, expect, test } from 'vitest';
import { ACL_MESSAGES, CALLOUT_DEFER_TEXT, evaluateRcptAcl, type CalloutCache, type CalloutSettings, type DomainCache, type PrimaryCondition } from '../../sim/backup-mx/acl.ts';

const MIN = 60_000;
const settings: CalloutSettings = { timeoutMs: 30_000, positiveExpireMs: 24 * 60 * MIN, negativeExpireMs: 120 * MIN, slowReplyMs: 45_000, deferOk: true, domainNegativeExpireMs: 180 * MIN, primaryRefusesNullSender: false };
/** A domain record that says nothing: the primary has never refused MAIL FROM:<>. */
const noDomain = (): DomainCache => ({ refusedNullSenderMs: null });
const NOW = 1000 * MIN;
const ADDRESS = 'bob@example.org';

type CacheState = 'empty' | 'positive' | 'negative' | 'expired positive' | 'expired negative';
type After = 'empty' | 'positive' | 'negative' | 'old positive' | 'old negative';

/** [primary, address is real, cache before, reply, deciding statement, connections, seconds waited, cache after] */
type Row = [PrimaryCondition, boolean, CacheState, 250 | 451 | 550, 'deny' | 'defer' | 'accept', number, number, After];

const table: Row[] = [
  // The primary is up and takes the address: the first callout writes a positive record, the warn's callout reads it.
  ['up', true, 'empty', 451, 'defer', 1, 0.2, 'positive'],
  ['up', true, 'positive', 451, 'defer', 0, 0, 'old positive'],
  ['up', true, 'negative', 550, 'deny', 0, 0, 'old negative'], // a mailbox created in the last 2 h is still refused
  ['up', true, 'expired positive', 451, 'defer', 1, 0.2, 'positive'],
  ['up', true, 'expired negative', 451, 'defer', 1, 0.2, 'positive'],
  // The primary is up and refuses the address: 550, cached as negative.
  ['up', false, 'empty', 550, 'deny', 1, 0.2, 'negative'],
  ['up', false, 'positive', 451, 'defer', 0, 0, 'old positive'], // a mailbox deleted in the last day still gets 451
  ['up', false, 'negative', 550, 'deny', 0, 0, 'old negative'],
  ['up', false, 'expired positive', 550, 'deny', 1, 0.2, 'negative'],
  ['up', false, 'expired negative', 550, 'deny', 1, 0.2, 'negative'],
  // Connections refused: both callouts defer at once; nothing is cached; accept.
  ['refusing', true, 'empty', 250, 'accept', 2, 0, 'empty'],
  ['refusing', true, 'positive', 451, 'defer', 0, 0, 'old positive'], // the cache trap: no connection is tried
  ['refusing', true, 'negative', 550, 'deny', 0, 0, 'old negative'],
  ['refusing', true, 'expired positive', 250, 'accept', 2, 0, 'old positive'],
  ['refusing', true, 'expired negative', 250, 'accept', 2, 0, 'old negative'],
  ['refusing', false, 'empty', 250, 'accept', 2, 0, 'empty'], // spam to a made-up address gets in while the primary is down
  ['refusing', false, 'positive', 451, 'defer', 0, 0, 'old positive'],
  ['refusing', false, 'negative', 550, 'deny', 0, 0, 'old negative'],
  ['refusing', false, 'expired positive', 250, 'accept', 2, 0, 'old positive'],
  ['refusing', false, 'expired negative', 250, 'accept', 2, 0, 'old negative'],
  // Powered off: the same verdicts, but each callout waits the whole 30 s for its connection.
  ['timeout', true, 'empty', 250, 'accept', 2, 60, 'empty'],
  ['timeout', true, 'positive', 451, 'defer', 0, 0, 'old positive'],
  ['timeout', true, 'negative', 550, 'deny', 0, 0, 'old negative'],
  ['timeout', true, 'expired positive', 250, 'accept', 2, 60, 'old positive'],
  ['timeout', true, 'expired negative', 250, 'accept', 2, 60, 'old negative'],
  ['timeout', false, 'empty', 250, 'accept', 2, 60, 'empty'],
  ['timeout', false, 'positive', 451, 'defer', 0, 0, 'old positive'],
  ['timeout', false, 'negative', 550, 'deny', 0, 0, 'old negative'],
  ['timeout', false, 'expired positive', 250, 'accept', 2, 60, 'old positive'],
  ['timeout', false, 'expired negative', 250, 'accept', 2, 60, 'old negative'],
  // Up but slow (45 s a reply, more than the callout's 30 s): the backup cannot tell it from down.
  ['slow', true, 'empty', 250, 'accept', 2, 60, 'empty'],
  ['slow', false, 'empty', 250, 'accept', 2, 60, 'empty'],
];

function cacheWith(state: CacheState): CalloutCache {
  const cache: CalloutCache = new Map();
  const fresh = NOW - 1 * MIN;
  if (state === 'positive') cache.set(ADDRESS, { positive: true, writtenMs: fresh });
  if (state === 'negative') cache.set(ADDRESS, { positive: false, writtenMs: fresh });
  // One second past each expiry: Exim discards a record older than its expire time.
  if (state === 'expired positive') cache.set(ADDRESS, { positive: true, writtenMs: NOW - settings.positiveExpireMs - 1000 });
  if (state === 'expired negative') cache.set(ADDRESS, { positive: false, writtenMs: NOW - settings.negativeExpireMs - 1000 });
  return cache;
}

function describeCache(cache: CalloutCache): After {
  const r = cache.get(ADDRESS);
  if (!r) return 'empty';
  const fresh = r.writtenMs >= NOW;
  return `${fresh ? '' : 'old '}${r.positive ? 'positive' : 'negative'}` as After;
}

describe('backup-mx ACL: verdict table', () => {
  test.each(table)('primary %s, real %s, cache %s → %i by %s', (primary, real, cacheState, code, decidedBy, connections, waitedSec, after) => {
    const cache = cacheWith(cacheState);
    const v = evaluateRcptAcl('callout-acl', cache, noDomain(), ADDRESS, [primary], real, NOW, settings);
    expect(v.code).toBe(code);
    expect(v.decidedBy).toBe(decidedBy);
    expect(v.text).toBe(ACL_MESSAGES[decidedBy]);
    expect(v.callouts.filter((c) => !c.fromCache).length).toBe(connections);
    expect(v.elapsedMs).toBeCloseTo(waitedSec * 1000, 6);
    expect(describeCache(cache)).toBe(after);
    // The flag the defer statement reads: true exactly when the warn's callout could not complete.
    if (decidedBy !== 'deny') expect(v.calloutDeferredVar).toBe(decidedBy === 'accept');
  });

  test('a record exactly as old as its expiry still answers; a second more and it does not', () => {
    for (const positive of [true, false]) {
      const expireMs = positive ? settings.positiveExpireMs : settings.negativeExpireMs;
      const atLimit: CalloutCache = new Map([[ADDRESS, { positive, writtenMs: NOW - expireMs }]]);
      expect(evaluateRcptAcl('callout-acl', atLimit, noDomain(), ADDRESS, ['timeout'], true, NOW, settings).callouts[0]!.fromCache).toBe(true);
      const past: CalloutCache = new Map([[ADDRESS, { positive, writtenMs: NOW - expireMs - 1000 }]]);
      expect(evaluateRcptAcl('callout-acl', past, noDomain(), ADDRESS, ['timeout'], true, NOW, settings).callouts[0]!.fromCache).toBe(false);
    }
  });

  test('the warn statement is what keeps a dead primary from deferring the mail', () => {
    const v = evaluateRcptAcl('callout-acl', new Map(), noDomain(), ADDRESS, ['timeout'], true, NOW, settings);
    expect(v.trail.map((t) => t.statement)).toEqual(['deny', 'warn', 'defer', 'accept']);
    expect(v.trail[1]!.outcome).toMatch(/warn stops there/);
    expect(v.callouts.map((c) => c.result)).toEqual(['defer', 'defer']);
  });

  test('a slow primary that answers within the callout timeout is verified, after four replies', () => {
    const quick = { ...settings, slowReplyMs: 10_000 };
    const cache: CalloutCache = new Map();
    const v = evaluateRcptAcl('callout-acl', cache, noDomain(), ADDRESS, ['slow'], true, NOW, quick);
    expect(v.code).toBe(451);
    // Banner, EHLO, MAIL FROM:<>, RCPT: four answers of 10 s for the one real callout; the second reads the cache.
    expect(v.elapsedMs).toBe(40_000);
    expect(cache.get(ADDRESS)).toEqual({ positive: true, writtenMs: NOW });
  });

  test('a plain relay accepts any address with no callout', () => {
    for (const primary of ['up', 'refusing', 'timeout', 'slow'] as const) {
      const cache: CalloutCache = new Map();
      const v = evaluateRcptAcl('relay', cache, noDomain(), 'nobody@example.org', [primary], false, NOW, settings);
      expect([v.code, v.callouts.length, cache.size]).toEqual([250, 0, 0]);
    }
  });
});

describe('backup-mx ACL without defer_ok (acl.c, acl_check_conditions; verify.c, do_callout)', () => {
  const strict = { ...settings, deferOk: false };

  test('acl_check_conditions: a callout that reaches no host makes the deny’s verify defer, and the RCPT gets 451 Could not complete recipient verify callout, after one callout', () => {
    for (const primary of ['refusing', 'timeout'] as const) {
      for (const real of [true, false]) {
        const cache: CalloutCache = new Map();
        const v = evaluateRcptAcl('callout-acl', cache, noDomain(), ADDRESS, [primary], real, NOW, strict);
        expect([v.code, v.text, v.decidedBy]).toEqual([451, CALLOUT_DEFER_TEXT, 'deny']);
        expect(v.trail.map((t) => t.statement)).toEqual(['deny']);
        expect(v.callouts.length).toBe(1);
        expect(v.elapsedMs).toBe(primary === 'timeout' ? 30_000 : 0);
        expect(cache.size).toBe(0);
      }
    }
  });

  test('acl_check_conditions: with the primary up, or a record in the cache, defer_ok changes nothing', () => {
    for (const primary of ['up', 'timeout'] as const) {
      for (const real of [true, false]) {
        for (const state of ['positive', 'negative'] as const) {
          const cache = () => (primary === 'up' ? new Map() : cacheWith(state));
          const loose = evaluateRcptAcl('callout-acl', cache(), noDomain(), ADDRESS, [primary], real, NOW, settings);
          const tight = evaluateRcptAcl('callout-acl', cache(), noDomain(), ADDRESS, [primary], real, NOW, strict);
          expect([tight.code, tight.text, tight.decidedBy]).toEqual([loose.code, loose.text, loose.decidedBy]);
        }
      }
    }
  });
});

describe('backup-mx callouts to a primary of several hosts (verify.c, do_callout’s host loop)', () => {
  test('do_callout: a host that times out or refuses passes the callout to the next, and the first that answers settles it, after the time the failed ones cost', () => {
    const cache: CalloutCache = new Map();
    const v = evaluateRcptAcl('callout-acl', cache, noDomain(), ADDRESS, ['timeout', 'refusing', 'up'], false, NOW, settings);
    expect([v.code, v.decidedBy]).toEqual([550, 'deny']);
    expect(v.callouts[0]!.note).toMatch(/host 1 of 3: connection timed out after 30s; callout to primary host 2 of 3: connection refused; callout to primary host 3 of 3: RCPT TO:<bob@example.org> answered 550/);
    expect(v.elapsedMs).toBeCloseTo(30_200, 6);
    expect(cache.get(ADDRESS)).toEqual({ positive: false, writtenMs: NOW });
  });

  test('do_callout: when every host fails, the callout defers after the sum of their timeouts and nothing is cached; with defer_ok the backup accepts', () => {
    for (const hosts of [['timeout'], ['timeout', 'timeout'], ['timeout', 'timeout', 'timeout']] as const) {
      const cache: CalloutCache = new Map();
      const v = evaluateRcptAcl('callout-acl', cache, noDomain(), ADDRESS, hosts, true, NOW, settings);
      expect(v.code).toBe(250);
      // Two callouts (the deny's and the warn's), each waiting 30 s on every host.
      expect(v.elapsedMs).toBe(2 * 30_000 * hosts.length);
      expect(v.callouts.every((c) => c.note.endsWith(`${CALLOUT_DEFER_TEXT}: defer (not cached)`))).toBe(true);
      expect(cache.size).toBe(0);
    }
  });
});

describe('backup-mx: Exim’s domain callout cache (verify.c: the domain record, callout_domain_negative_expire)', () => {
  const refusing = { ...settings, primaryRefusesNullSender: true };

  test('verify.c: a primary that refuses MAIL FROM:<> fails the callout for a real address, and the domain record then refuses every address without connecting', () => {
    const cache: CalloutCache = new Map();
    const domain = noDomain();
    const first = evaluateRcptAcl('callout-acl', cache, domain, ADDRESS, ['up'], true, NOW, refusing);
    expect([first.code, first.decidedBy]).toEqual([550, 'deny']);
    expect(first.callouts[0]!.note).toMatch(/MAIL FROM:<> answered 550/);
    expect(domain.refusedNullSenderMs).toBe(NOW);
    expect(cache.size).toBe(0);
    // Another real address, the primary now off: answered from the domain record, no connection, no wait.
    const later = evaluateRcptAcl('callout-acl', cache, domain, 'carol@example.org', ['timeout'], true, NOW + 60 * MIN, refusing);
    expect([later.code, later.elapsedMs, later.callouts[0]!.fromCache]).toEqual([550, 0, true]);
  });

  test('callout_domain_negative_expire: the domain record is believed for exactly its time, then the callout connects again', () => {
    const domain: DomainCache = { refusedNullSenderMs: NOW - 180 * MIN };
    expect(evaluateRcptAcl('callout-acl', new Map(), domain, ADDRESS, ['timeout'], true, NOW, settings).code).toBe(550);
    const past: DomainCache = { refusedNullSenderMs: NOW - 180 * MIN - 1000 };
    const v = evaluateRcptAcl('callout-acl', new Map(), past, ADDRESS, ['timeout'], true, NOW, settings);
    expect([v.code, v.callouts[0]!.fromCache]).toEqual([250, false]);
  });

  test('verify.c: a connection that fails writes no domain record, so an outage leaves the domain cache as it found it', () => {
    for (const primary of ['refusing', 'timeout'] as const) {
      const domain = noDomain();
      evaluateRcptAcl('callout-acl', new Map(), domain, ADDRESS, [primary], true, NOW, refusing);
      expect(domain.refusedNullSenderMs).toBeNull();
    }
  });
});

