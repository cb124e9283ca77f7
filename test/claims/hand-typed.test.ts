import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handTypedNumbers } from './hand-typed.ts';

/**
 * Articles whose simulation numbers are all written with <Num> and <Claim>. An article joins
 * this list once it is converted; the others still have numbers typed by hand.
 */
const CONVERTED = [
  'content/articles/cache-stampede.mdx',
  'content/articles/token-bucket.mdx',
  'content/articles/pagination.mdx',
  'content/articles/syn-queue.mdx',
  'content/articles/ssh-forwarding.mdx',
  'content/articles/backup-mx.mdx',
];

const PORT_INPUT = "a port number the scenario sets up (router forwards, VNC's display rule, a command's -L/-R/-p): an input, not a result";

/** Numbers that are not the simulation's, each with the reason it stays typed. */
const EXEMPT: Record<string, { phrase: string; reason: string }[]> = {
  'content/articles/cache-stampede.mdx': [
    { phrase: 'every 50 ms in the model', reason: "a constant of the model's code (POLL_MS in sim/cache-stampede/model.ts), in no trace" },
    { phrase: 'Redis 8.4', reason: 'a version number' },
    { phrase: 'RFC 5861', reason: 'a document number' },
    { phrase: 'a response up to 30 seconds past its freshness', reason: "RFC 5861's own example (stale-while-revalidate=30)" },
    { phrase: 'a 2015 VLDB paper', reason: "the XFetch paper's year" },
    { phrase: 'about 37%', reason: 'exp(−1), arithmetic of the formula in the text, not of a run' },
  ],
  'content/articles/token-bucket.mdx': [
    { phrase: '429', reason: 'an HTTP status code (Too Many Requests), named throughout; no run produces it' },
    { phrase: '503', reason: 'an HTTP status code (Service Unavailable)' },
    { phrase: '409', reason: 'an HTTP status code (Conflict), as the Idempotency-Key draft uses it' },
    { phrase: '422', reason: 'an HTTP status code (Unprocessable Content), as the Idempotency-Key draft uses it' },
    { phrase: 'the stored 200', reason: 'an HTTP status code (OK)' },
    { phrase: 'draft-ietf-httpapi-ratelimit-headers-11', reason: 'a document name and version' },
    { phrase: 'RFC 9651', reason: 'a document number' },
    { phrase: 'Drafts up to -06', reason: 'a document version' },
    { phrase: 'RFC 9110 section 10.2.3', reason: 'a document number and section' },
    { phrase: 'RFC 9457', reason: 'a document number' },
    { phrase: 'a token takes 0.6 s to grow', reason: 'a minute divided by the limit of a hundred, arithmetic on the parameter; no run output holds it' },
    { phrase: 'sleeps 1, 2, 4, 8 and 16 seconds', reason: 'the backoff formula in the table applied to the base (a <Num>); no run output holds it' },
    { phrase: 'Messages take about 10 ms, with a standard deviation of 2 ms; the base is 5 ms and the cap 2 s', reason: "the contention experiment's set-up, taken from the AWS simulator (the defaults in sim/token-bucket/contention.ts); not a scenario parameter" },
    { phrase: 'The source keeps it for 24 hours', reason: "the source's key lifetime, not the model's (its key store never forgets)" },
    { phrase: 'a HotOS 2021 paper', reason: 'the year the metastable-failures paper was published' },
  ],
  'content/articles/pagination.mdx': [
    { phrase: 'PostgreSQL 18.6', reason: 'a version number: the PostgreSQL the real plans were run on' },
    { phrase: 'PostgreSQL 18', reason: 'a version number' },
    { phrase: 'returns rows 41 to 60', reason: 'what the SQL example beside it means (`LIMIT 20 OFFSET 40`), not a run' },
  ],
  'content/articles/syn-queue.mdx': [
    { phrase: 'In April 2002', reason: 'the date of the incident' },
    { phrase: '2.4', reason: 'a kernel version (Linux 2.4)' },
    { phrase: 'RFC 6298', reason: 'a document number' },
    { phrase: 'never below 64', reason: "a constant of the 2.4 source (max_qlen_log starts at 6), in no trace" },
    { phrase: 'in early 2025', reason: 'the date of the kernel change' },
    { phrase: 'Linux 6.13', reason: 'a version number' },
    { phrase: 'in January 2025 to the long-term stable series 5.4, 5.10, 5.15, 6.1, 6.6 and 6.12', reason: 'the date and the stable series that took the kernel change' },
    { phrase: 'from 2.6.20 to 4.3', reason: 'version numbers (the reqsk_queue_alloc() era)' },
    { phrase: '3.1 to 4.3', reason: 'version numbers (a kernel era of the model)' },
    { phrase: '4.4 to 6.12', reason: 'version numbers (a kernel era of the model)' },
    { phrase: '2.6 and 3.0', reason: 'version numbers' },
    { phrase: '(6.5 or later)', reason: 'a version number (Linux 6.5, which brought tcp_syn_linear_timeouts)' },
    { phrase: 'kernel, 3.10,', reason: 'a version number (the RHEL and CentOS 7 kernel)' },
    { phrase: '(536, 1300, 1440, 1460)', reason: "the MSS table of the kernel's syncookies.c, not modelled" },
    { phrase: 'a default of 511 on Linux', reason: "nginx's default listen backlog, from its documentation" },
    { phrase: 'At 36 seconds it is still climbing', reason: 'a moment checked by the <Claim> around it (series.synQueue@35.9 below the limit); no summary holds the time the queue fills' },
    { phrase: 'by 37 seconds it is full', reason: 'a moment checked by the <Claim> around it (series.synQueue@36.9 at the limit); no summary holds the time the queue fills' },
  ],
  'content/articles/ssh-forwarding.mdx': [
    { phrase: 'In March 2010', reason: "the source post's date" },
    { phrase: 'as it put it in 2010', reason: "the source post's date" },
    { phrase: 'Since OpenSSH 9.2', reason: 'a version number' },
    { phrase: 'RFC 4254 section 7.2', reason: 'a document and section number' },
    { phrase: 'RFC 4254 sections 7.1 and 7.2', reason: 'a document and section numbers' },
    { phrase: 'RFC 1928', reason: 'a document number' },
    { phrase: 'port 2222', reason: PORT_INPUT },
    { phrase: 'port 22', reason: PORT_INPUT }, // after 'port 2222', which contains it
    { phrase: '-p 2222', reason: PORT_INPUT },
    { phrase: 'port 5900', reason: PORT_INPUT },
    { phrase: 'port 5901', reason: PORT_INPUT },
    { phrase: 'port 5999', reason: PORT_INPUT },
    { phrase: 'a web server on port 80', reason: PORT_INPUT },
    { phrase: 'is added to 5900', reason: "VNC's display rule, quoted from the source" },
    { phrase: 'the standard port, 5900', reason: "VNC's standard port, quoted from the source" },
    { phrase: '5999 on desktop1', reason: PORT_INPUT },
    { phrase: 'display 99', reason: 'the VNC display of the port just named' },
    { phrase: 'listen on 8080', reason: PORT_INPUT },
    { phrase: '-R *:8080', reason: PORT_INPUT },
    { phrase: 'from 32768', reason: "a constant of the model's code (EPHEMERAL_PORT_START in sim/ssh-forwarding/walk.ts), Linux's default start of ip_local_port_range; in no summary" },
    { phrase: 'fails after 127 seconds', reason: "a constant of the model's code (SYN_TIMEOUT_SECONDS in sim/ssh-forwarding/walk.ts), Linux's SYN retry time with tcp_syn_retries 6; in no summary" },
    { phrase: 'as on Linux before 6.5', reason: 'a version number (Linux 6.5, which brought tcp_syn_linear_timeouts)' },
    { phrase: 'with status 255, when a forward', reason: "OpenSSH's documented exit status on error (ssh(1)); the runs that produce it show it with <Num>" },
  ],
  'content/articles/backup-mx.mdx': [
    { phrase: 'January 2009', reason: "the source's date" },
    { phrase: '22:00', reason: "the source's time of the power failure (the scenarios' outage start on an 18:00 run start)" },
    { phrase: '10:45', reason: "the source's time of the repair (the scenarios' outage length)" },
    { phrase: '18:00', reason: "the run's start, a clock time the model has no number for" },
    { phrase: 'RFC 5321', reason: 'a document number' },
    { phrase: '451', reason: 'an SMTP reply code' },
    { phrase: '550', reason: 'an SMTP reply code' },
    { phrase: '250', reason: 'an SMTP reply code' },
    { phrase: '450', reason: 'an SMTP reply code' },
    { phrase: "port 25", reason: "SMTP's port number" },
    { phrase: 'waits at most 30 seconds', reason: "the source's callout=30s in the configuration it quotes" },
    { phrase: '30 seconds is the wait', reason: "the source's callout=30s in the configuration it quotes" },
    { phrase: 'two 30-second callouts', reason: "the source's callout=30s, on a real server rather than in the model" },
    { phrase: 'every 30 minutes by default', reason: "Debian's default queue-run interval for Exim, not the model's" },
  ],
};

describe('numbers typed by hand in converted articles', () => {
  it('flags a numeral of a result typed into prose, and not one inside code, a tag or a <Num>', () => {
    const text = [
      '---', 'sim: cache-stampede', '---',
      'The herd is about 300 queries.',
      'Set `servers=50` and <SimLink scenario="herd" set={{ servers: 50 }} t={12}>play</SimLink>.',
      'It sends <Num scenario="herd" value="summary.queriesPerExpiry" /> queries and <Claim scenario="herd" value="summary.dbQueries" is=">" than={100}>a lot</Claim>.',
      'A 20% jitter and 1.4 s of waiting; beta 1 is fine.',
    ].join('\n');
    expect(handTypedNumbers(text, []).map((h) => `${h.line}:${h.number}`)).toEqual(['4:300', '7:20%', '7:1.4']);
  });

  it('skips an exempt phrase, and only that phrase', () => {
    const text = 'Redis 8.4 and Redis 9.0 differ.';
    expect(handTypedNumbers(text, ['Redis 8.4']).map((h) => h.number)).toEqual(['9.0']);
  });

  for (const file of CONVERTED) {
    const exempt = EXEMPT[file] ?? [];
    const text = readFileSync(file, 'utf8');

    it(`${file} has no simulation number typed by hand`, () => {
      const found = handTypedNumbers(text, exempt.map((e) => e.phrase));
      expect(found.map((h) => `${file}:${h.line}: ${h.number} in "${h.context}"`)).toEqual([]);
    });

    it(`${file} still contains every phrase it exempts`, () => {
      expect(exempt.filter((e) => !text.includes(e.phrase)).map((e) => e.phrase)).toEqual([]);
    });
  }
});
