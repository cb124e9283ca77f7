/**
 * What the backup's log shows of one SMTP session: the Exim main-log line for
 * the RCPT reply, and the whole dialogue with the ACL's reasoning between RCPT
 * and the reply, for the inspector.
 */
import type { AclVerdict } from './acl.ts';
import { RUN_START_EPOCH_SEC, rfc2822 } from './clock.ts';
import type { Messages } from './messages.ts';

export const PRIMARY_HOST = 'mx1.example.org';
export const BACKUP_HOST = 'mx2.example.org';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function base62(n: number, width: number): string {
  let out = '';
  let v = Math.floor(n);
  for (let i = 0; i < width; i++) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

/** An Exim message id: the time in base 62, a process number, a fraction of a second. */
export function messageId(tMs: number, tx: number): string {
  return `${base62(RUN_START_EPOCH_SEC + tMs / 1000, 6)}-${base62(tx + 4096, 6)}-${base62(tMs % 1000, 2)}`;
}

/** The main log's line for transaction tx's RCPT reply, in Exim's words. */
export function rcptLogText(msgs: Messages, m: number, tx: number, tMs: number, verdict: AclVerdict): string {
  const base = `${BACKUP_HOST}  H=${msgs.host(m)} [${msgs.ip(m)}] F=<${msgs.envelopeFrom(m)}>`;
  return verdict.code === 550 ? `${base} rejected RCPT <${msgs.address(m)}>: ${verdict.text}`
    : verdict.code === 451 ? `${base} temporarily rejected RCPT <${msgs.address(m)}>: ${verdict.text}`
      : `${BACKUP_HOST}  <= ${msgs.envelopeFrom(m)} H=${msgs.host(m)} [${msgs.ip(m)}] P=esmtp id=${messageId(tMs, tx)} for ${msgs.address(m)}`;
}

/** The SMTP dialogue of one transaction at the backup, with the ACL's reasoning between RCPT and the reply. */
export function transcript(msgs: Messages, m: number, tx: number, tMs: number, verdict: AclVerdict): string {
  const lines = [
    `S: 220 ${BACKUP_HOST} ESMTP Exim 4.69 ${rfc2822(tMs)}`,
    `C: EHLO ${msgs.host(m)}`,
    `S: 250-${BACKUP_HOST} Hello ${msgs.host(m)} [${msgs.ip(m)}]`,
    `C: MAIL FROM:<${msgs.envelopeFrom(m)}>`,
    'S: 250 OK',
    `C: RCPT TO:<${msgs.address(m)}>`,
  ];
  for (const step of verdict.trail) {
    lines.push(`   # ${step.line}`);
    if (step.callout) lines.push(`   #   ${step.callout.note}`);
    lines.push(`   #   → ${step.outcome}`);
  }
  if (verdict.elapsedMs >= 1000) lines.push(`   # (the reply waited ${Math.round(verdict.elapsedMs / 1000)} s for callouts)`);
  lines.push(`S: ${verdict.code} ${verdict.text}`);
  if (verdict.code === 250) {
    lines.push('C: DATA', 'S: 354 Enter message, ending with "." on a line by itself', 'C: .', `S: 250 OK id=${messageId(tMs, tx)}`);
  }
  lines.push('C: QUIT', `S: 221 ${BACKUP_HOST} closing connection`);
  return lines.join('\n');
}
