/**
 * `bpfsim estimate`: the static arithmetic (event rate x cost) for a model, as terminal tables. No
 * queueing, no bursts, no buffer: what a spreadsheet would say, so that `bpfsim run` can show
 * where the simulation departs from it.
 */
import type { Scenario } from '../model/scenario.js';
import type { StaticResult } from '../analysis/estimate.js';
import { rate } from '../analysis/rating.js';
import { distMean } from '../distributions/sampler.js';
import { memoryBreakdownTable, type SummaryTable } from './summary-tables.js';
import { renderTextTable } from './text-table.js';
import { formatByteRate, formatBytes, formatCpuDemand, formatNs, formatPct, formatPerSec, formatPps } from '../units/format.js';

/** The impact grade from the static per-packet cost alone (no queueing). */
export function staticRating(s: Scenario, est: StaticResult) {
  const base = distMean(s.datapath.service);
  const latencyPct = base > 0 ? (est.cpu.perPacketNs / base) * 100 : 0;
  // A CPU running flat out loses the share of its time the probes take.
  const throughputPct = (est.cpu.perPacketNs / (base + est.cpu.perPacketNs)) * 100;
  return { latencyPct, throughputPct, ...rate(latencyPct, throughputPct) };
}

export function estimateTables(s: Scenario, est: StaticResult): SummaryTable[] {
  const c = est.cpu;
  const grade = staticRating(s, est);
  const seconds = s.traffic.duration / 1e9;
  return [
    {
      key: 'throughput',
      heading: 'Rates',
      columns: ['', 'value'],
      rows: [
        ['packets', s.traffic.arrival === 'saturate' ? 'flat out (saturate)' : formatPps(s.traffic.rate)],
        ['events to user space', formatPerSec(c.eventRate, 'events')],
        ['records into the buffer', formatPerSec(c.recordRate, 'records')],
        ['wake-ups', formatPerSec(c.wakeupRate, 'wake-ups')],
      ],
      notes: [],
    },
    {
      key: 'cpu',
      heading: 'CPU (% of one CPU)',
      columns: ['', 'static'],
      rows: [
        ['probes + program', formatPct(c.probePct)],
        ['submit + wake-ups', formatPct(c.submitPct)],
        [`kernel side, sum over ${s.cpus} CPU${s.cpus === 1 ? '' : 's'}`, formatPct(c.kernelPctSum)],
        ['consumer demand', formatCpuDemand(c.consumerDemandPct)],
        ['total demand', formatCpuDemand(c.totalDemandPct)],
      ],
      notes: [
        `${formatNs(c.perPacketNs)} added per packet; the consumer demand is what reading every event would take ` +
          '(one reader thread has at most one CPU: above 100% it cannot keep up)',
        'CPU = event rate x (kernel submit + user-space processing)',
      ],
    },
    memoryBreakdownTable(est.memory),
    {
      key: 'log',
      heading: 'Log',
      columns: ['', 'value'],
      rows: [
        ['rate', formatByteRate(est.log.bytesPerSec)],
        [`over the model's ${seconds} s`, formatBytes(est.log.bytesPerSec * seconds)],
        ['per hour', formatBytes(est.log.bytesPerSec * 3600)],
      ],
      notes: [],
    },
    {
      key: 'latency',
      heading: 'Impact (static, ignoring queueing)',
      columns: ['', 'value'],
      rows: [
        ['latency added per packet', `+${formatPct(grade.latencyPct)} of the baseline service`],
        ['capacity lost when saturated', formatPct(grade.throughputPct)],
        ['grade', grade.grade ?? 'n/a'],
      ],
      notes: [grade.reason, '`bpfsim run` simulates queueing, bursts, buffer losses and wake-up feedback'],
    },
  ];
}

export function formatEstimate(s: Scenario, est: StaticResult, color = false): string {
  const head = `bpfsim estimate: ${s.name}\n  kernel ${s.kernel.version} · ${s.cpus} CPUs · catalog ${s.catalog}\n`;
  return head + '\n' + estimateTables(s, est).map((t) => renderTextTable(t, color)).join('\n\n') + '\n';
}
