/**
 * Where a run's losses came from, and what that says about the buffer: events lost while the
 * reader was away (asleep, stalled, pre-empted) arrived in a burst of absence that a bigger
 * buffer absorbs; events lost while it was busy handling records mean it does not keep up, and
 * a bigger buffer only delays the loss.
 */
import type { Result } from '../result.js';

/** Above this load (busy + blocked, %) a reader is taken as not keeping up. */
const KEEPS_UP_PCT = 95;

export type LossCause = keyof Result['events']['lossCauses'];

const LABELS: Record<LossCause, string> = {
  asleep: 'asleep',
  stalled: 'stalled',
  preempted: 'pre-empted',
  busyBehind: 'busy behind',
};

export interface LossVerdict {
  /** Share of the lost events per cause, 0-100, largest first (causes with none left out). */
  shares: { cause: LossCause; label: string; pct: number }[];
  /** Most losses came while the reader was away: a bigger buffer helps. */
  biggerBufferHelps: boolean;
  /** One sentence for a user. */
  text: string;
}

/**
 * undefined when nothing was lost. `readerLoadPct`: the share of time the reader is busy or
 * blocked (cpu.consumerPct + cpu.consumerBlockedPct); a reader below ~95% keeps up on average,
 * so even losses while it was busy are the backlog of an absence or a burst, which a bigger
 * buffer absorbs.
 */
export function lossVerdict(causes: Result['events']['lossCauses'], readerLoadPct?: number): LossVerdict | undefined {
  const total = causes.asleep + causes.stalled + causes.preempted + causes.busyBehind;
  if (!(total > 0)) return undefined;
  const shares = (Object.keys(LABELS) as LossCause[])
    .map((cause) => ({ cause, label: LABELS[cause], pct: (causes[cause] / total) * 100 }))
    .filter((s) => s.pct > 0)
    .sort((a, b) => b.pct - a.pct);
  const away = ((causes.asleep + causes.stalled + causes.preempted) / total) * 100;
  const keepsUp = readerLoadPct !== undefined ? readerLoadPct < KEEPS_UP_PCT : away >= 50;
  const biggerBufferHelps = keepsUp;
  const list = shares.map((s) => `${s.label} ${s.pct < 1 ? s.pct.toPrecision(1) : Math.round(s.pct)}%`).join(', ');
  const load = readerLoadPct !== undefined ? ` (busy or blocked ${Math.round(readerLoadPct)}% of the time)` : '';
  const text = biggerBufferHelps
    ? `lost while the reader was ${list}; it keeps up on average${load}, so the losses are the backlog of its absences and of bursts: a buffer that holds them helps`
    : `lost while the reader was ${list}; it does not keep up${load}, so a bigger buffer only delays the loss (make the reader faster, or send fewer events)`;
  return { shares, biggerBufferHelps, text };
}
