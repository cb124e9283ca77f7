/**
 * The SYN-queue picture in words: a few plain sentences for a frame, and one
 * sentence for what changed between two frames, the most important first
 * (a queue filling or emptying, then cookies, drops and RSTs starting or
 * stopping, then a queue's length moving a lot).
 */
import type { SynQueueFrame, SynQueueScene } from '../../sim/syn-queue/scene.ts';
import { fmt } from '../charts/escape.ts';
import { backlogClamp, synAckSchedule } from './syn-queue-layout.ts';

const KINDS = ['legitimate', 'from broken clients', 'spoofed'] as const;

export const synTotal = (f: SynQueueFrame) => f.syn.reduce((s, row) => s + row.reduce((a, n) => a + n, 0), 0);
export const acceptTotal = (f: SynQueueFrame) => f.accept[0] + f.accept[1];
const many = (n: number, one: string, more = `${one}s`) => `${fmt(n)} ${n === 1 ? one : more}`;

export function frameInWords(scene: SynQueueScene, frame: SynQueueFrame, atSec: number): string {
  const out: string[] = [`At ${fmt(atSec)} s.`];
  const clamp = backlogClamp(scene);
  if (clamp) out.push(`${clamp.replace('→', 'became')}.`);
  const syn = synTotal(frame);
  const byKind = frame.syn.map((row, c) => [row.reduce((a, n) => a + n, 0), KINDS[c]!] as const).filter(([n]) => n > 0);
  out.push(`SYN queue: ${fmt(syn)} of ${fmt(scene.synQueueCap)} slots taken${byKind.length ? `: ${byKind.map(([n, k]) => `${fmt(n)} ${k}`).join(', ')}` : ''}.`);
  const oldest = Math.max(0, ...frame.syn.map((row) => row.length));
  if (scene.provenOnlyAbove !== null && syn >= scene.provenOnlyAbove) out.push(`Past ${fmt(scene.provenOnlyAbove)} entries, only peers seen before get in.`);
  if (oldest > 1) out.push(`The oldest entries have had ${oldest} SYN-ACKs.`);
  // By SYN-ACKs had, as the wide picture numbers its blocks.
  const byAge = Array.from({ length: oldest }, (_, r) => frame.syn.reduce((a, row) => a + (row[r] ?? 0), 0));
  if (syn > 0) out.push(`Entries by SYN-ACKs had: ${byAge.map((n, r) => `${r + 1}: ${fmt(n)}`).join(', ')}; at most ${fmt(frame.peak[0])} in the SYN queue in this second.`);
  const acc = acceptTotal(frame);
  out.push(`Accept queue: ${fmt(acc)} of ${fmt(scene.acceptQueueCap)}${frame.accept[1] ? `, ${fmt(frame.accept[1])} of them through a cookie` : ''}.`);
  const w = frame.wire;
  out.push(`In this second ${many(w.syn, 'SYN')} came in and the listener sent ${many(w.synAck, 'SYN-ACK')} (${fmt(w.resent)} resent, ${fmt(w.cookie)} as cookies).`);
  const bad = [w.drop ? `${fmt(w.drop)} dropped` : '', w.rst ? many(w.rst, 'RST') + ' sent' : '', w.expired ? `${fmt(w.expired)} expired` : ''].filter(Boolean);
  if (bad.length) out.push(`${bad.join(', ')}.`.replace(/^./, (c) => c.toUpperCase()));
  out.push(`The application accepted ${fmt(w.accepted)}.`, `At most ${fmt(frame.peak[1])} waited in the accept queue in this second.`);
  out.push(synAckSchedule(scene));
  return out.join(' ');
}

/** One sentence: what changed from frame `a` to frame `b`, or '' when nothing worth saying did. */
export function changeInWords(scene: SynQueueScene, a: SynQueueFrame, b: SynQueueFrame): string {
  const synCap = scene.synQueueCap;
  const accCap = scene.acceptQueueCap;
  const [sa, sb, qa, qb] = [synTotal(a), synTotal(b), acceptTotal(a), acceptTotal(b)];
  const wb = b.wire;
  const synNow = `${fmt(sb)} of ${fmt(synCap)}`;
  const accNow = `${fmt(qb)} of ${fmt(accCap)}`;
  if (sb >= synCap && sa < synCap) {
    const then = wb.cookie > 0 ? '; new SYNs now get cookies' : wb.drop > 0 ? '; new SYNs are now dropped' : '';
    return `SYN queue full: ${synNow}${then}`;
  }
  const proven = scene.provenOnlyAbove;
  if (proven !== null && sb >= proven && sa < proven) {
    return `SYN queue at ${synNow}: only proven peers get in now${wb.drop > 0 ? '; other SYNs are dropped' : ''}`;
  }
  if (qb >= accCap && qa < accCap) {
    const then = wb.rst > 0 ? '; clients now get RSTs' : wb.drop > 0 ? '; SYNs and final ACKs are now dropped' : '; final ACKs are now dropped';
    return `Accept queue full: ${accNow}${then}`;
  }
  if (sa >= synCap && sb < synCap) return `SYN queue has room again: ${synNow}`;
  if (qa >= accCap && qb < accCap) return `Accept queue has room again: ${accNow}`;
  const wa = a.wire;
  const starts = (x: number, y: number) => x === 0 && y > 0;
  const stops = (x: number, y: number) => x > 0 && y === 0;
  if (starts(wa.cookie, wb.cookie)) return `SYN cookies start: ${many(wb.cookie, 'cookie')} in this second`;
  if (starts(wa.drop, wb.drop)) return `Drops start: ${fmt(wb.drop)} dropped in this second`;
  if (starts(wa.rst, wb.rst)) return `RSTs start: ${many(wb.rst, 'RST')} in this second`;
  if (starts(wa.expired, wb.expired)) return `Entries start to expire: ${fmt(wb.expired)} in this second`;
  if (stops(wa.cookie, wb.cookie)) return 'SYN cookies stop';
  if (stops(wa.drop, wb.drop)) return 'Drops stop';
  // A move of at least a tenth of the queue is worth a sentence; smaller ones are noise.
  if (Math.abs(sb - sa) * 10 >= synCap && sb !== sa) return `SYN queue ${sb > sa ? 'grows' : 'shrinks'} to ${synNow}`;
  if (Math.abs(qb - qa) * 10 >= accCap && qb !== qa) return `Accept queue ${qb > qa ? 'grows' : 'shrinks'} to ${accNow}`;
  return '';
}
