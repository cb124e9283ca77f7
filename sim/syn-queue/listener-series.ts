/**
 * The per-sample series the listener counts in, resolved by name once per run: its hot path then
 * indexes arrays instead of looking names up. The kernel's counters keep their nstat names.
 */
import type { SeriesRecorder } from '../core/index.ts';
import type { SeriesKey } from './keys.ts';

export class ListenerSeries {
  readonly ListenOverflows: Float64Array;
  readonly ListenDrops: Float64Array;
  readonly TCPReqQFullDrop: Float64Array;
  readonly TCPReqQFullDoCookies: Float64Array;
  readonly SyncookiesSent: Float64Array;
  readonly SyncookiesRecv: Float64Array;
  readonly SynAcksSent: Float64Array;
  readonly SynAckRetransmits: Float64Array;
  readonly accepts: Float64Array;
  readonly cookiesSent: Float64Array;
  readonly drops: Float64Array;
  readonly established: Float64Array;
  readonly expired: Float64Array;
  readonly pruned: Float64Array;
  readonly resets: Float64Array;
  readonly synDrops: Float64Array;
  readonly synsReceived: Float64Array;
  readonly synQueue: Float64Array;
  readonly acceptQueue: Float64Array;

  constructor(rec: SeriesRecorder<SeriesKey>) {
    this.ListenOverflows = rec.get('ListenOverflows');
    this.ListenDrops = rec.get('ListenDrops');
    this.TCPReqQFullDrop = rec.get('TCPReqQFullDrop');
    this.TCPReqQFullDoCookies = rec.get('TCPReqQFullDoCookies');
    this.SyncookiesSent = rec.get('SyncookiesSent');
    this.SyncookiesRecv = rec.get('SyncookiesRecv');
    this.SynAcksSent = rec.get('SynAcksSent');
    this.SynAckRetransmits = rec.get('SynAckRetransmits');
    this.accepts = rec.get('accepts');
    this.cookiesSent = rec.get('cookiesSent');
    this.drops = rec.get('drops');
    this.established = rec.get('established');
    this.expired = rec.get('expired');
    this.pruned = rec.get('pruned');
    this.resets = rec.get('resets');
    this.synDrops = rec.get('synDrops');
    this.synsReceived = rec.get('synsReceived');
    this.synQueue = rec.get('synQueue');
    this.acceptQueue = rec.get('acceptQueue');
  }
}
