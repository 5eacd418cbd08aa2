/**
 * `bpfsim init`: a commented model a user edits, built from a few choices. Valid by
 * construction: every choice is checked against the same lists the schema uses, the kernel
 * is one that has every feature chosen, and test/init.test.ts loads every combination.
 */
import { ATTACH_TYPES, type AttachType } from './kernel.js';
import { parseRate } from '../units/parse.js';
import { formatBytes, formatPps } from '../units/format.js';

export const TEMPLATE_OUTPUTS = ['perf_buffer', 'ringbuf'] as const;
export const TEMPLATE_CONSUMERS = ['bcc-python', 'libbpf'] as const;

export interface TemplateChoices {
  attach: AttachType;
  output: (typeof TEMPLATE_OUTPUTS)[number];
  consumer: (typeof TEMPLATE_CONSUMERS)[number];
  /** packets/s over all CPUs */
  rate: number;
  cpus: number;
  /** Event payload, bytes. */
  eventBytes: number;
}

/** 100 Mpps: beyond any single host's packet rate. */
const MAX_TEMPLATE_RATE = 1e8;

export const TEMPLATE_DEFAULTS: TemplateChoices = { attach: 'kprobe', output: 'perf_buffer', consumer: 'bcc-python', rate: 100e3, cpus: 4, eventBytes: 64 };

/** A choice given as text that is not one of the allowed values: what, and a hint. */
export interface ChoiceProblem {
  option: string;
  expected: string;
  found: string;
}

/** Parses the flag values (strings as typed); undefined fields keep their defaults. */
export function parseChoices(raw: Partial<Record<keyof TemplateChoices, string>>): { choices: TemplateChoices; problems: ChoiceProblem[] } {
  const choices = { ...TEMPLATE_DEFAULTS };
  const problems: ChoiceProblem[] = [];
  const oneOf = <T extends string>(option: string, value: string | undefined, allowed: readonly T[], aliases: Record<string, T> = {}): T | undefined => {
    if (value === undefined) return undefined;
    const v = aliases[value] ?? value;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    problems.push({ option, expected: `one of ${allowed.join(', ')}`, found: JSON.stringify(value) });
    return undefined;
  };
  choices.attach = oneOf('--attach', raw.attach, ATTACH_TYPES) ?? choices.attach;
  choices.output = oneOf('--output', raw.output, TEMPLATE_OUTPUTS, { perf: 'perf_buffer', 'perf-buffer': 'perf_buffer' }) ?? choices.output;
  choices.consumer = oneOf('--consumer', raw.consumer, TEMPLATE_CONSUMERS, { bcc: 'bcc-python', python: 'bcc-python' }) ?? choices.consumer;
  if (raw.rate !== undefined) {
    const r = parseRate(raw.rate);
    if (r.ok && r.value > 0 && r.value <= MAX_TEMPLATE_RATE) choices.rate = r.value;
    else problems.push({ option: '--rate', expected: 'a packet rate in (0, 100M] such as "200k"', found: JSON.stringify(raw.rate) });
  }
  const integer = (option: string, value: string | undefined, max: number): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (Number.isInteger(n) && n >= 1 && n <= max) return n;
    problems.push({ option, expected: `an integer in 1..${max}`, found: JSON.stringify(value) });
    return undefined;
  };
  choices.cpus = integer('--cpus', raw.cpus, 256) ?? choices.cpus;
  // the largest payload whose perf record (16-byte header and size, 8-byte aligned) fits a 16-bit size
  choices.eventBytes = integer('--event-bytes', raw.eventBytes, 65512) ?? choices.eventBytes;
  return { choices, problems };
}

/** What each attach type is put on in the template (a plausible per-packet hook). */
const HOOKS: Record<AttachType, { name: string; why: string }> = {
  kprobe: { name: 'ip_rcv', why: 'a kernel function every received IPv4 packet passes' },
  kretprobe: { name: 'ip_rcv', why: "ip_rcv's return, for every received IPv4 packet" },
  tracepoint: { name: 'net:netif_receive_skb', why: 'the stable tracepoint of every received packet' },
  raw_tracepoint: { name: 'netif_receive_skb', why: 'the raw form of the netif_receive_skb tracepoint' },
  tp_btf: { name: 'netif_receive_skb', why: 'the BTF-typed netif_receive_skb tracepoint' },
  fentry: { name: 'ip_rcv', why: 'entry of ip_rcv through a BPF trampoline' },
  fexit: { name: 'ip_rcv', why: 'exit of ip_rcv through a BPF trampoline' },
  uprobe: { name: 'my_server:handle_packet', why: 'a function of your own program, once per packet it handles' },
  uretprobe: { name: 'my_server:handle_packet', why: 'the return of a function of your own program' },
  lsm: { name: 'socket_sock_rcv_skb', why: 'the LSM hook run for every packet delivered to a socket' },
  xdp: { name: 'xdp_prog', why: 'an XDP program on the receiving interface' },
  tc: { name: 'tc_ingress', why: 'a tc (clsact) ingress program' },
};

/** The model text for the choices. */
export function renderTemplate(c: TemplateChoices): string {
  const hook = HOOKS[c.attach];
  const perf = c.output === 'perf_buffer';
  const bcc = c.consumer === 'bcc-python';
  const perCpu = formatPps(c.rate / c.cpus);
  // Room for at least four events: a buffer that holds one or two loses events by design.
  const record = Math.ceil((c.eventBytes + 16) / 8) * 8;
  const pageCnt = Math.max(bcc ? 8 : 64, nextPowerOfTwo(Math.ceil((4 * record) / 4096)));
  const ringBytes = Math.max(256 * 1024, nextPowerOfTwo(4 * record));
  const durationMs = Math.min(1000, Math.max(10, Math.round(1e9 / c.rate)));
  // a field and its comment, the comments in one column
  const f = (text: string, comment: string) => `${`${text} `.padEnd(27)}# ${comment}`;
  const lines = [
    `# Written by \`bpfsim init --attach ${c.attach} --output ${c.output} --consumer ${c.consumer} --rate ${c.rate} --cpus ${c.cpus} --event-bytes ${c.eventBytes}\`.`,
    '# Edit it to describe your tool, then: bpfsim run THIS_FILE. Every field is in the README',
    '# ("Model fields"); `bpfsim schema` prints the JSON Schema for completion in an editor.',
    `name: my ${c.attach} tracer`,
    `description: a ${c.attach} program on ${hook.name}, a ${c.eventBytes}-byte event per hit through ${perf ? 'a perf buffer' : 'a BPF ring buffer'}, read by ${bcc ? 'a BCC Python' : 'a libbpf C'} consumer.`,
    '# 5.15 has every attach type and the ring buffer (5.8+): set your kernel to check what it supports.',
    'kernel: "5.15"',
    f(`cpus: ${c.cpus}`, 'data-path CPUs the packets are spread over'),
    'seed: 1',
    'traffic:',
    f('  arrival: poisson', 'poisson | constant | bursty | trace (a pcap/pcapng capture) | saturate'),
    f(`  rate: ${c.rate}`, `packets/s over all CPUs (${perCpu} per CPU)`),
    f(`  duration: ${durationMs >= 1000 ? '1s' : `${durationMs}ms`}`, 'simulated time: about a million packets at most, for a quick first run'),
    'datapath:',
    '  # Kernel cost of a packet with no tracing: measure yours, or keep this typical receive path.',
    '  service: { dist: lognormal, mean: 800ns, cv: 0.3 }',
    'probes:',
    `  - name: ${hook.name}`,
    f(`    attach: ${c.attach}`, `${hook.why}; entry/exit costs from the catalog`),
    f('    hitsPerPacket: 1', 'runs per packet (0.5: every other packet)'),
    f('    program:', 'what the program does per hit, in order'),
    '      - map: { name: flows, op: lookup }',
    '      - helper: ktime_get_ns',
    f('      - insns: 50', "the program's own logic, in BPF instructions"),
    f(`      - submit: { bytes: ${c.eventBytes} }`, 'one event to user space per hit'),
    'output:',
    ...(perf
      ? [
          f('  type: perf_buffer', 'one ring per CPU'),
          f(`  pageCnt: ${pageCnt}`, `pages per CPU, a power of two (${pageCnt > (bcc ? 8 : 64) ? `room for four ${c.eventBytes}-byte events` : bcc ? "BCC's default" : 'a common libbpf choice'})`),
          f('  wakeupEvents: 1', 'wake the reader for every event (BCC and libbpf default)'),
        ]
      : [
          f('  type: ringbuf', 'one ring shared by all CPUs'),
          f(`  size: ${formatBytes(ringBytes).replace(' ', '')}`, 'a power of two, a multiple of the page size'),
          f('  notify: adaptive', 'wake the reader only when it has caught up (the kernel default)'),
        ]),
    'consumer:',
    f(`  runtime: ${c.consumer}`, bcc ? 'a Python callback per event, polling with no timeout' : 'a C callback per event, polling with a 100 ms timeout'),
    f(`  callback: ${bcc ? 'medium' : 'simple'}`, 'simple | medium | complex, or a cost such as 2us'),
    f('  cpu: dedicated', 'dedicated | shared (with the data path)'),
    'maps:',
    '  - { name: flows, type: hash, key: 16, value: 32, maxEntries: 10240, fill: 0.5 }',
    '',
  ];
  return lines.join('\n');
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, n)));
}
