/**
 * Chart axes in words with units: a Result figure path ("cpu.kernelPctMean") or a --vary path
 * ("output.pageCnt") becomes a title a user reads ("kernel CPU per data-path CPU, mean (%)"),
 * its values a unit that suits them (µs, KiB), and an axis of powers of two a log2 scale
 * whose ticks are the values themselves.
 */
import { byteUnit } from '../units/format.js';

/** Figures with a name of their own; others are named from their path. */
const FIGURE_WORDS: Record<string, string> = {
  'events.lostPct': 'events lost',
  'events.lost': 'events lost',
  'events.generated': 'events generated',
  'events.consumed': 'events consumed',
  'events.submitted': 'records submitted',
  'events.submitCalls': 'submit calls',
  'events.wakeups.signalled': 'wake-ups signalled',
  'events.wakeups.consumerWakes': 'consumer wake-ups',
  'cpu.kernelPctMean': 'kernel CPU per CPU, mean',
  'cpu.kernelPctSum': 'kernel CPU, summed over CPUs',
  'cpu.kernelNsPerSec': 'kernel time per second',
  'cpu.consumerPct': 'consumer CPU',
  'cpu.static.kernelPctSum': 'static estimate: kernel CPU, summed over CPUs',
  'cpu.static.consumerDemandPct': 'static estimate: consumer CPU demand',
  'latency.inflation.meanPct': 'mean latency increase',
  'latency.inflation.p99Pct': 'p99 latency increase',
  'throughput.lossPct': 'throughput loss',
  'throughput.traced.deliveredPps': 'traced packets delivered',
  'throughput.baseline.deliveredPps': 'baseline packets delivered',
  'memory.total.maxBytes': 'memory, max',
  'memory.total.typicalBytes': 'memory, typical',
  'memory.buffers': 'buffer memory',
  'log.bytesPerSec': 'log rate',
  'log.bytes': 'log size',
  'occupancy.backlog.maxRecords': 'consumer backlog, max records',
};

const STAT_WORDS: Record<string, string> = { mean: 'mean', p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9', max: 'max' };

/** --vary paths with a name of their own (the path is kept in brackets: it is what the user typed). */
const VARY_WORDS: [RegExp, string][] = [
  [/^output\.pageCnt$/, 'perf buffer pages per CPU'],
  [/^output\.size$/, 'ringbuf size'],
  [/^output\.wakeupEvents$/, 'events per wake-up'],
  [/^output\.type$/, 'output buffer'],
  [/^traffic\.rate$/, 'packet rate'],
  [/^traffic\.duration$/, 'simulated time'],
  [/^cpus$/, 'data-path CPUs'],
  [/^consumer\.callback$/, 'consumer callback'],
  [/^consumer\.runtime$/, 'consumer runtime'],
  [/submit\.bytes$/, 'event size'],
  [/submit\.batch$/, 'events per batch'],
  [/submit\.sample$/, 'sampling: 1 in N'],
  [/filter\.pass$/, 'filter pass share'],
];

/** "kernelNsPerSec" -> "kernel ns per sec" (the fallback for unnamed paths). */
function words(key: string): string {
  return key
    .replace(/\[(\d+)\]/g, ' $1')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/\bPct\b/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** A figure path in words, without its unit: "latency.traced.p99" -> "traced latency p99". */
export function figureWords(path: string): string {
  if (FIGURE_WORDS[path]) return FIGURE_WORDS[path];
  const lat = /^latency\.(traced|baseline|eventDelay)\.(\w+)$/.exec(path);
  if (lat) return `${lat[1] === 'eventDelay' ? 'event delay' : `${lat[1]} latency`} ${STAT_WORDS[lat[2]] ?? lat[2]}`;
  const ring = /^occupancy\.rings\[(\d+)\]\.(\w+)$/.exec(path);
  if (ring) return `ring ${ring[1]} ${words(ring[2])}`;
  const cpu = /^cpu\.kernelPctPerCpu\[(\d+)\]$/.exec(path);
  if (cpu) return `kernel CPU of cpu${cpu[1]}`;
  const warn = /^warnings\.([\w-]+)$/.exec(path);
  if (warn) return `share of runs warned: ${warn[1].replace(/-/g, ' ')}`;
  return path.split('.').map(words).join(' ');
}

/** A --vary axis title: words, unit, then the path as typed: "packet rate, packets/s (traffic.rate)". */
export function varyAxisTitle(path: string, scale: AxisScale): string {
  const hit = VARY_WORDS.find(([re]) => re.test(path));
  const words = hit ? hit[1] : path;
  const unit = scale.unit ? `, ${scale.unit}` : '';
  return hit ? `${words}${unit} (${path})` : `${words}${unit}`;
}

/** A --vary path in words, the path kept: "perf buffer pages per CPU (output.pageCnt)". */
export function varyWords(path: string): string {
  const hit = VARY_WORDS.find(([re]) => re.test(path));
  return hit ? `${hit[1]} (${path})` : path;
}

/** The unit of a Result figure, from its name (Result key conventions). */
export type FigureUnit = 'pct' | 'ns' | 'nsPerSec' | 'bytes' | 'bytesPerSec' | 'pps' | 'perSec' | 'count';

/** ...Pct in %, latency and ...Ns in ns, ...Bytes and memory in bytes, ...Pps in packets/s. */
export function figureUnit(path: string): FigureUnit {
  const leaf = path.replace(/\[\d+\]/g, '').split('.').pop() ?? '';
  if (/Pct(PerCpu|Sum|Mean)?$/.test(leaf)) return 'pct';
  if (leaf === 'bytesPerSec') return 'bytesPerSec';
  if (leaf.endsWith('NsPerSec')) return 'nsPerSec';
  if (leaf.endsWith('Ns') || (path.startsWith('latency.') && leaf !== 'count')) return 'ns';
  if (/Bytes$/.test(leaf) || leaf === 'bytes' || (path.startsWith('memory.') && leaf !== 'hostCpus')) return 'bytes';
  if (leaf.endsWith('Pps')) return 'pps';
  if (leaf === 'eventRate') return 'perSec';
  return 'count';
}

type AxisUnit = FigureUnit;

export interface AxisScale {
  /** Unit shown in the title, e.g. "µs", "KiB", "%"; '' for a plain count. */
  unit: string;
  /** Divide raw values (ns, bytes, ...) by this to plot them in `unit`. */
  divisor: number;
  /** d3 format for the tick labels. */
  format: string;
}

/** The unit a set of values (ns, bytes, ...) reads best in. */
export function axisScale(kind: AxisUnit, values: number[], pctOf = '%'): AxisScale {
  const max = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  switch (kind) {
    case 'pct':
      return { unit: pctOf, divisor: 1, format: '~r' };
    case 'ns': {
      const [unit, divisor] = max >= 1e9 ? ['s', 1e9] : max >= 1e6 ? ['ms', 1e6] : max >= 1e3 ? ['µs', 1e3] : ['ns', 1];
      return { unit, divisor, format: '~r' };
    }
    case 'bytes': {
      const { unit, scale } = byteUnit(Math.max(1, max));
      return { unit, divisor: scale, format: '~r' };
    }
    case 'bytesPerSec': {
      const { unit, scale } = byteUnit(Math.max(1, max));
      return { unit: `${unit}/s`, divisor: scale, format: '~r' };
    }
    case 'nsPerSec':
      return { unit: 'ms per second', divisor: 1e6, format: '~r' };
    case 'pps':
      return { unit: 'packets/s', divisor: 1, format: '~s' };
    case 'perSec':
      return { unit: 'per second', divisor: 1, format: '~s' };
    case 'count':
      return { unit: '', divisor: 1, format: '~s' };
  }
}

/** "events lost (%)", "traced latency p99 (µs)". */
export function axisTitle(label: string, scale: AxisScale): string {
  return scale.unit ? `${label} (${scale.unit})` : label;
}

/** True when every value is a positive power of two and there are at least three of them. */
export function powersOfTwo(values: number[]): boolean {
  const distinct = [...new Set(values)];
  return distinct.length >= 3 && distinct.every((v) => v > 0 && Number.isInteger(Math.log2(v)));
}

/**
 * A quantitative x scale for swept values: log2 with the values as ticks for powers of two
 * (pageCnt 1, 2, 4, ... 1024), log10 for other spans of 16x or more, linear otherwise.
 */
export function sweepScale(values: number[], format: string): { scale: object; axis: object } {
  const xs = [...new Set(values)].sort((a, b) => a - b);
  if (powersOfTwo(xs)) return { scale: { type: 'log', base: 2 }, axis: { values: xs, format, labelOverlap: 'greedy' } };
  if (xs.length > 1 && xs[0] > 0 && xs[xs.length - 1] / xs[0] >= 16) return { scale: { type: 'log' }, axis: { format } };
  return { scale: { zero: false }, axis: { format } };
}

/** "% of one CPU" for CPU shares, "%" otherwise. */
function pctUnit(path: string): string {
  if (path === 'cpu.kernelPctMean' || path.startsWith('cpu.kernelPctPerCpu')) return '%';
  return path.startsWith('cpu.') ? '% of one CPU' : '%';
}

/** The y axis of a figure over the values it takes: title in words with its unit, divisor, format. */
export function figureAxis(path: string, values: number[]): AxisScale & { title: string } {
  const scale = axisScale(figureUnit(path), values, pctUnit(path));
  return { ...scale, title: axisTitle(figureWords(path), scale) };
}

/**
 * The range a figure can take, for clipping a confidence interval drawn around it: changes are
 * unbounded, shares of a whole (events lost, a CPU's busy time, a ring's fill) lie in 0-100,
 * everything else (times, sizes, counts, CPU summed over CPUs) is at least 0.
 */
export function figureBounds(path: string): [number, number] {
  if (path.startsWith('latency.inflation.') || path.startsWith('rating.')) return [-Infinity, Infinity];
  if (figureUnit(path) === 'pct' && !/Sum$|Demand|static\./.test(path)) return [0, 100];
  return [0, Infinity];
}

/** A vega expression labelling a tick in bytes with a binary unit: 4096 -> "4 KiB". */
export const BYTES_LABEL_EXPR =
  "datum.value >= 1073741824 ? format(datum.value / 1073741824, '~g') + ' GiB' : " +
  "datum.value >= 1048576 ? format(datum.value / 1048576, '~g') + ' MiB' : " +
  "datum.value >= 1024 ? format(datum.value / 1024, '~g') + ' KiB' : format(datum.value, '~g') + ' B'";
