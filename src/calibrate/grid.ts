/**
 * The validation grid: real set-ups that together exercise every mechanism the simulator
 * models (perf buffer size and wakeup_events, ringbuf size and notification mode, a
 * consume-sleep reader, reader cost, where the reader runs, flat-out and paced producers,
 * event size, a C and a Python reader). Each cell varies a few factors from a common base,
 * so a wrong cell points at the mechanism it isolates. `--quick` keeps a subset that still
 * touches each mechanism once.
 */

export type Buffer = 'ringbuf' | 'perf_buffer';
export type Notify = 'adaptive' | 'force' | 'nowake';
export type Place = 'own' | 'same' | 'loaded';
export type ReaderKind = 'c' | 'python';

export interface Cell {
  name: string;
  buffer: Buffer;
  mode: 'flat' | 'paced';
  /** Calls/s in the paced mode (0 when flat). */
  rate: number;
  /** Event payload, bytes. */
  size: number;
  rbBytes: number;
  pages: number;
  wakeupEvents: number;
  notify: Notify;
  loop: 'poll' | 'consume-sleep';
  sleepMs: number;
  /** The reader's CPU: its own, the producer's, or its own beside a background load. */
  place: Place;
  /** Background load on the reader's CPU, % of each 10 ms (place 'loaded'). */
  loadPct: number;
  reader: ReaderKind;
  /** The reader's own work per event, ns (a busy spin in the callback). */
  costNs: number;
  /** In the quick subset. */
  quick: boolean;
}

const BASE: Omit<Cell, 'name' | 'buffer' | 'quick'> = {
  mode: 'flat', rate: 0, size: 64, rbBytes: 65536, pages: 8, wakeupEvents: 1, notify: 'adaptive',
  loop: 'poll', sleepMs: 10, place: 'own', loadPct: 0, reader: 'c', costNs: 0,
};

/** A cell's name from its factors: only what differs from the base is named. */
export function cellName(c: Omit<Cell, 'name' | 'quick'>): string {
  const parts: string[] = [];
  if (c.buffer === 'perf_buffer') parts.push(`pb-${c.pages}p`, ...(c.wakeupEvents !== 1 ? [`we${c.wakeupEvents}`] : []));
  else parts.push(`rb-${c.rbBytes >= 1 << 20 ? `${c.rbBytes >> 20}M` : `${c.rbBytes >> 10}K`}`, ...(c.notify !== 'adaptive' ? [c.notify] : []));
  if (c.loop === 'consume-sleep') parts.push(`sleep${c.sleepMs}ms`);
  parts.push(c.mode === 'flat' ? 'flat' : `paced${c.rate / 1000}k`);
  parts.push(`c${c.costNs / 1000}us`);
  if (c.place !== 'own') parts.push(c.place === 'loaded' ? `load${c.loadPct}` : 'samecpu');
  if (c.size !== 64) parts.push(`${c.size}B`);
  if (c.reader === 'python') parts.push('py');
  return parts.join('-');
}

type Spec = Partial<Omit<Cell, 'name'>> & { buffer: Buffer };

function cell(spec: Spec): Cell {
  const c = { ...BASE, quick: false, ...spec };
  if (c.place === 'loaded' && c.loadPct === 0) c.loadPct = 60;
  return { ...c, name: cellName(c) };
}

const pb = (s: Partial<Spec> = {}): Cell => cell({ buffer: 'perf_buffer', ...s });
const rb = (s: Partial<Spec> = {}): Cell => cell({ buffer: 'ringbuf', ...s });
const paced = (rate: number) => ({ mode: 'paced' as const, rate });
const MiB = 1 << 20;

/** The full grid (36 cells); `quick` marks the subset (17 cells). */
export const GRID: readonly Cell[] = [
  // perf buffer: size, wakeup_events, reader cost
  pb({ costNs: 0, quick: true }),
  pb({ costNs: 2000, quick: true }),
  pb({ costNs: 10000 }),
  pb({ pages: 64, costNs: 2000 }),
  pb({ pages: 64, costNs: 10000, quick: true }),
  pb({ wakeupEvents: 64, costNs: 2000, quick: true }),
  pb({ pages: 64, wakeupEvents: 64, costNs: 10000 }),
  // paced producers
  pb({ ...paced(20000), costNs: 2000, quick: true }),
  pb({ pages: 64, ...paced(50000), costNs: 10000 }),
  // the reader's CPU
  pb({ place: 'same', costNs: 2000, quick: true }),
  pb({ pages: 64, place: 'same', ...paced(20000), costNs: 2000 }),
  pb({ pages: 64, place: 'loaded', costNs: 2000 }),
  // event size, Python reader (BCC's default: 8 pages, wakeup_events 1)
  pb({ size: 512, costNs: 2000 }),
  pb({ reader: 'python', quick: true }),
  pb({ pages: 64, reader: 'python', ...paced(20000) }),
  // ringbuf: size, reader cost
  rb({ costNs: 0, quick: true }),
  rb({ costNs: 2000, quick: true }),
  rb({ costNs: 10000 }),
  rb({ rbBytes: MiB, costNs: 2000 }),
  rb({ rbBytes: MiB, costNs: 10000, quick: true }),
  // notification: forced, and NO_WAKEUP with a consume-sleep reader
  rb({ notify: 'force', costNs: 2000, quick: true }),
  rb({ rbBytes: MiB, notify: 'force', ...paced(50000), costNs: 2000 }),
  rb({ notify: 'nowake', loop: 'consume-sleep', quick: true }),
  rb({ rbBytes: MiB, notify: 'nowake', loop: 'consume-sleep', costNs: 2000 }),
  rb({ rbBytes: MiB, notify: 'nowake', loop: 'consume-sleep', ...paced(50000), costNs: 2000 }),
  // paced producers
  rb({ ...paced(20000), costNs: 2000, quick: true }),
  rb({ rbBytes: MiB, ...paced(50000), costNs: 10000 }),
  // the reader's CPU
  rb({ place: 'same', costNs: 2000, quick: true }),
  rb({ rbBytes: MiB, place: 'same', ...paced(20000), costNs: 2000 }),
  rb({ rbBytes: MiB, place: 'loaded', costNs: 2000, quick: true }),
  rb({ place: 'loaded', ...paced(50000), costNs: 10000 }),
  // event size
  rb({ size: 512, costNs: 2000, quick: true }),
  rb({ rbBytes: MiB, size: 512 }),
  // Python reader
  rb({ rbBytes: MiB, reader: 'python', quick: true }),
  rb({ reader: 'python', ...paced(20000), costNs: 2000 }),
  rb({ rbBytes: MiB, notify: 'force' }),
];

export function gridCells(quick: boolean, only?: readonly string[]): Cell[] {
  const cells = GRID.filter((c) => !quick || c.quick);
  return only && only.length > 0 ? cells.filter((c) => only.includes(c.name)) : cells;
}

/** The loader's (or pyreader.py's) arguments for one repetition of a cell. */
export function cellArgs(c: Cell, ms: number, attach: string): string[] {
  return ['--name', c.name, '--buffer', c.buffer, '--mode', c.mode, '--attach', attach,
    '--size', String(c.size), '--rb-bytes', String(c.rbBytes), '--pages', String(c.pages),
    '--wakeup-events', String(c.wakeupEvents), '--notify', c.notify, '--loop', c.loop,
    '--sleep-ms', String(c.sleepMs), '--place', c.place, '--load', String(c.loadPct),
    '--cost', String(c.costNs), '--rate', String(c.rate || 1), '--ms', String(ms)];
}
