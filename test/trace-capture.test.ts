/**
 * Packet captures as traffic: the Toeplitz hash against the published RSS verification suite,
 * the pcap/pcapng reader against Wireshark's and tcpdump's reading of captured files (recorded
 * fixtures: deterministic), a live capture when tcpdump is here and we are root, and replay
 * (packet count and rate equal to the capture's, flows spread by the NIC's hash, loop, per-byte cost).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/simulation/simulate.js';
import { loadModelObject } from '../src/model/load.js';
import { readCaptureTrace } from '../src/model/trace/read.js';
import { defaultIndirectionTable, MICROSOFT_RSS_KEY, queueOf, toeplitzHash } from '../src/model/trace/toeplitz.js';

const FIXTURES = resolve(__dirname, 'fixtures/traces');
const capinfos = JSON.parse(readFileSync(join(FIXTURES, 'capinfos.json'), 'utf8')) as Record<string, { packets: number; durationSec: number; ratePps: number }>;

function ipv4(a: string): number[] {
  return a.split('.').map(Number);
}
/** An IPv6 address's 16 bytes ("::" expanded). */
function ipv6(a: string): number[] {
  const [head, tail] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}
const port = (p: number) => [p >> 8, p & 0xff];

describe('Toeplitz hash: the RSS verification suite', () => {
  // Microsoft, "Verifying the RSS hash calculation" (learn.microsoft.com/windows-hardware/drivers/
  // network/verifying-the-rss-hash-calculation), also the Intel 82599 datasheet 7.1.2.8.3 and
  // DPDK app/test/test_thash.c: source, destination, IPv4-only hash, with-TCP-ports hash.
  const v4: [string, number, string, number, number, number][] = [
    ['66.9.149.187', 2794, '161.142.100.80', 1766, 0x323e8fc2, 0x51ccc178],
    ['199.92.111.2', 14230, '65.69.140.83', 4739, 0xd718262a, 0xc626b0ea],
    ['24.19.198.95', 12898, '12.22.207.184', 38024, 0xd2d0a5de, 0x5c2b394a],
    ['38.27.205.30', 48228, '209.142.163.6', 2217, 0x82989176, 0xafc7327f],
    ['153.39.163.191', 44251, '202.188.127.2', 1303, 0x5d1809c5, 0x10e828a2],
  ];
  const v6: [string, number, string, number, number, number][] = [
    ['3ffe:2501:200:1fff::7', 2794, '3ffe:2501:200:3::1', 1766, 0x2cc18cd5, 0x40207d3d],
    ['3ffe:501:8::260:97ff:fe40:efab', 14230, 'ff02::1', 4739, 0x0f0c461c, 0xdde51bbf],
    ['3ffe:1900:4545:3:200:f8ff:fe21:67cf', 44251, 'fe80::200:f8ff:fe21:67cf', 38024, 0x4b61e985, 0x02d1feef],
  ];
  it.each(v4)('IPv4 %s:%d -> %s:%d', (src, sp, dst, dp, l3, l4) => {
    expect(toeplitzHash(MICROSOFT_RSS_KEY, Uint8Array.from([...ipv4(src), ...ipv4(dst)]))).toBe(l3);
    expect(toeplitzHash(MICROSOFT_RSS_KEY, Uint8Array.from([...ipv4(src), ...ipv4(dst), ...port(sp), ...port(dp)]))).toBe(l4);
  });
  it.each(v6)('IPv6 %s:%d -> %s:%d', (src, sp, dst, dp, l3, l4) => {
    expect(toeplitzHash(MICROSOFT_RSS_KEY, Uint8Array.from([...ipv6(src), ...ipv6(dst)]))).toBe(l3);
    expect(toeplitzHash(MICROSOFT_RSS_KEY, Uint8Array.from([...ipv6(src), ...ipv6(dst), ...port(sp), ...port(dp)]))).toBe(l4);
  });
  it("the default indirection table is ethtool's: entry i is queue i mod queues, indexed by the hash's low bits", () => {
    const table = defaultIndirectionTable(6);
    expect(table).toHaveLength(128);
    expect(queueOf(0x51ccc178, table)).toBe((0x51ccc178 & 127) % 6);
  });
});

describe('capture files: the same reading as Wireshark and tcpdump', () => {
  it.each(Object.keys(capinfos).filter((k) => k !== 'source'))('%s: packets, duration and rate as capinfos reads them', (name) => {
    const t = readCaptureTrace(join(FIXTURES, name), 1 << 20)!;
    const want = capinfos[name];
    expect(t.format).toBe(name.endsWith('.pcapng') ? 'pcapng' : 'pcap');
    expect(t.times).toHaveLength(want.packets);
    expect(t.times[0]).toBe(0);
    // capinfos prints the duration to the file's resolution
    expect(t.times.at(-1)! / 1e9).toBeCloseTo(want.durationSec, name === 'lo-us.pcap' ? 6 : 9);
    expect(want.packets / (t.times.at(-1)! / 1e9)).toBeCloseTo(want.ratePps, 1);
  });

  it("each packet's flow is what tcpdump decodes (addresses and UDP ports, IPv4 and IPv6), and sizes are wire sizes", () => {
    const t = readCaptureTrace(join(FIXTURES, 'lo-ns.pcap'), 1 << 20)!;
    const lines = readFileSync(join(FIXTURES, 'lo-ns.tcpdump.txt'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(t.times.length);
    const t0 = BigInt(lines[0].split(' ')[0].replace('.', ''));
    lines.forEach((line, i) => {
      // 1796401462.723105064 IP 127.0.0.1.40000 > 127.0.0.1.9000: UDP, length 20
      const m = /^(\d+)\.(\d{9}) (IP6?) (\S+)\.(\d+) > (\S+)\.(\d+): UDP, length (\d+)/.exec(line)!;
      expect(m, line).not.toBeNull();
      const v6 = m[3] === 'IP6';
      const addr = v6 ? ipv6 : ipv4;
      const input = [...addr(m[4]), ...addr(m[6]), ...port(Number(m[5])), ...port(Number(m[7]))];
      expect([...t.flows[t.flowOf[i]]]).toEqual(input);
      expect(t.times[i]).toBe(Number(BigInt(m[1] + m[2]) - t0));
      // Ethernet 14 + IP header (20 or 40) + UDP 8 + payload
      expect(t.sizes[i]).toBe(14 + (v6 ? 40 : 20) + 8 + Number(m[8]));
    });
  });

  it('a big-endian pcap reads as its little-endian twin', () => {
    const le = readFileSync(join(FIXTURES, 'lo-us.pcap'));
    const be = Buffer.from(le);
    const swap32 = (o: number) => be.writeUInt32BE(le.readUInt32LE(o), o);
    const swap16 = (o: number) => be.writeUInt16BE(le.readUInt16LE(o), o);
    swap32(0);
    swap16(4);
    swap16(6);
    for (const o of [8, 12, 16, 20]) swap32(o);
    for (let o = 24; o < le.length; ) {
      const caplen = le.readUInt32LE(o + 8);
      for (const k of [0, 4, 8, 12]) swap32(o + k);
      o += 16 + caplen;
    }
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-trace-'));
    writeFileSync(join(dir, 'be.pcap'), be);
    const a = readCaptureTrace(join(FIXTURES, 'lo-us.pcap'), 1 << 20)!;
    const b = readCaptureTrace(join(dir, 'be.pcap'), 1 << 20)!;
    expect(b.times).toEqual(a.times);
    expect(b.sizes).toEqual(a.sizes);
    expect(b.flows).toEqual(a.flows);
  });

  it('pcapng: big-endian sections, if_tsresol as a power of two, VLAN tags, several interfaces; a Simple Packet Block is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-trace-'));
    const file = join(dir, 'be.pcapng');
    writeFileSync(file, bigEndianPcapng(false));
    const t = readCaptureTrace(file, 1 << 20)!;
    // two packets 2^20 units apart at 2^-20 s resolution: 1 s; a third on a microsecond interface 0.5 s later
    expect(t.times).toEqual([0, 1e9, 1.5e9]);
    expect(t.sizes).toEqual([64, 1500, 64]);
    // the VLAN-tagged frame's flow: 10.0.0.1:1000 -> 10.0.0.2:2000
    expect([...t.flows[t.flowOf[1]]]).toEqual([10, 0, 0, 1, 10, 0, 0, 2, ...port(1000), ...port(2000)]);
    writeFileSync(file, bigEndianPcapng(true));
    expect(() => readCaptureTrace(file, 1 << 20)).toThrow(/Simple Packet Block.*without a timestamp/);
  });

  it('a capture cut short, or with a record larger than any frame, is an error saying where', () => {
    const whole = readFileSync(join(FIXTURES, 'lo-us.pcap'));
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-trace-'));
    writeFileSync(join(dir, 'cut.pcap'), whole.subarray(0, 24 + 16 + 10));
    expect(() => readCaptureTrace(join(dir, 'cut.pcap'), 1 << 20)).toThrow(/ends inside a packet \(at byte 40\)/);
    const huge = Buffer.from(whole.subarray(0, 24 + 16));
    huge.writeUInt32LE(1 << 30, 24 + 8);
    writeFileSync(join(dir, 'huge.pcap'), huge);
    expect(() => readCaptureTrace(join(dir, 'huge.pcap'), 1 << 20)).toThrow(/more than any real frame/);
  });
});

/** The model a capture replays in: one CPU per queue, a fixed 1 us service. */
function replayModel(trace: string, traffic: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    name: 'replay',
    cpus: 4,
    traffic: { arrival: 'trace', trace, ...traffic },
    datapath: { service: '1us' },
    ...extra,
  };
}

describe('replaying a capture', () => {
  it.each(Object.keys(capinfos).filter((k) => k !== 'source'))('%s replays with the capture packet count and rate', (name) => {
    const want = capinfos[name];
    const duration = Math.ceil(want.durationSec * 1e9);
    const loaded = loadModelObject(replayModel(name, { duration }), join(FIXTURES, 'model.yaml'));
    const s = loaded.scenario;
    expect(s.traffic.summary).toMatchObject({ packets: want.packets, flows: 61 });
    expect(s.traffic.summary!.rate).toBeCloseTo(want.ratePps, 1);
    const r = runScenario(s, loaded.catalog);
    expect(r.meta.packets.traced).toBe(want.packets);
    expect(r.meta.packets.baseline).toBe(want.packets);
    expect(r.throughput.offeredPps).toBeCloseTo(want.ratePps, 0);
  });

  it('rss toeplitz puts each packet on the CPU its flow hashes to; flowhash keeps flows whole too', () => {
    const t = readCaptureTrace(join(FIXTURES, 'lo-ns.pcap'), 1 << 20)!;
    const s = loadModelObject(replayModel('lo-ns.pcap', { duration: '160ms', rss: 'toeplitz' }), join(FIXTURES, 'm.yaml')).scenario;
    const table = defaultIndirectionTable(4);
    t.flowOf.forEach((f, i) => expect(s.traffic.cpuOf![i]).toBe(queueOf(toeplitzHash(MICROSOFT_RSS_KEY, t.flows[f]), table) % 4));
    // two queues on four CPUs: CPUs 2 and 3 get nothing
    const two = loadModelObject(replayModel('lo-ns.pcap', { duration: '160ms', rss: 'toeplitz', nic: { queues: 2 } }), join(FIXTURES, 'm.yaml')).scenario;
    expect(new Set(two.traffic.cpuOf)).toEqual(new Set([0, 1]));
    const fh = loadModelObject(replayModel('lo-ns.pcap', { duration: '160ms', rss: 'flowhash' }), join(FIXTURES, 'm.yaml')).scenario;
    const cpuOfFlow = new Map<number, number>();
    t.flowOf.forEach((f, i) => {
      if (!cpuOfFlow.has(f)) cpuOfFlow.set(f, fh.traffic.cpuOf![i]);
      expect(fh.traffic.cpuOf![i]).toBe(cpuOfFlow.get(f));
    });
    expect(new Set(fh.traffic.cpuOf).size).toBe(4);
  });

  it('nic.key as ethtool prints it: the Microsoft key written out spreads as the default does', () => {
    const hex = MICROSOFT_RSS_KEY.map((b) => b.toString(16).padStart(2, '0')).join(':');
    const load = (nic: Record<string, unknown>) => loadModelObject(replayModel('lo-ns.pcap', { duration: '160ms', rss: 'toeplitz', nic }), join(FIXTURES, 'm.yaml')).scenario.traffic.cpuOf;
    expect(load({ key: hex })).toEqual(load({}));
    // the symmetric key (6d:5a repeated; Woo and Park, "Scalable TCP session monitoring with symmetric RSS", 2012)
    expect(load({ key: Array(20).fill('6d:5a').join(':') })).not.toEqual(load({}));
  });

  it('bad traces and NIC setups are one line each, naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-trace-'));
    writeFileSync(join(dir, 'noise.bin'), Buffer.from([1, 2, 3, 0, 5, 6, 7, 8]));
    const msg = (traffic: Record<string, unknown>) => {
      try {
        loadModelObject({ name: 'x', traffic: { arrival: 'trace', duration: '1ms', ...traffic }, datapath: { service: '1us' } }, join(dir, 'm.yaml'));
      } catch (e) {
        return (e as Error).message;
      }
      return 'loaded';
    };
    expect(msg({ trace: 'noise.bin' })).toMatch(/^\S+m\.yaml: traffic\.trace: expected a pcap or pcapng capture, or a text file of timestamps, got binary data/);
    writeFileSync(join(dir, 'one.txt'), '0\n');
    expect(msg({ trace: 'one.txt', loop: true })).toMatch(/traffic\.loop: expected a trace of at least two packets at different times to loop/);
    expect(msg({ trace: join(FIXTURES, 'lo-us.pcap'), nic: { queues: 2 } })).toMatch(/traffic\.nic: expected traffic\.nic only with rss: toeplitz/);
    expect(msg({ trace: join(FIXTURES, 'lo-us.pcap'), rss: 'toeplitz', nic: { key: 'ab:cd' } })).toMatch(/traffic\.nic\.key: expected at least 40 hex bytes .*got 2 bytes/);
    writeFileSync(join(dir, 't.txt'), '0\n1us\n');
    expect(msg({ trace: 't.txt', rss: 'flowhash', duration: '2us' })).toMatch(/traffic\.rss: expected random or roundrobin for a trace of timestamps/);
  });

  it('rss toeplitz or flowhash without a capture is a model error', () => {
    expect(() => loadModelObject({ name: 'x', traffic: { rate: '1k', rss: 'toeplitz' }, datapath: { service: '1us' } }, 'm.yaml')).toThrow(/traffic\.rss: expected random or roundrobin for synthetic arrivals/);
  });

  it('a capture shorter than the run loops only with traffic.loop: true, and then repeats exactly', () => {
    const file = join(FIXTURES, 'm.yaml');
    expect(() => loadModelObject(replayModel('lo-us.pcap', { duration: '1s' }), file)).toThrow(/a run no longer than the trace/);
    const loaded = loadModelObject(replayModel('lo-us.pcap', { duration: '1s', loop: true }), file);
    const { period, times } = loaded.scenario.traffic;
    // one mean gap after the last packet
    expect(period).toBeCloseTo(times!.at(-1)! * (1 + 1 / 219), 3);
    const r = runScenario(loaded.scenario, loaded.catalog);
    const passes = Math.floor(1e9 / period!);
    const rest = times!.filter((x) => x <= 1e9 - passes * period!).length;
    expect(r.meta.packets.traced).toBe(passes * 220 + rest);
  });

  it('datapath.perByte adds the packet size times the per-byte cost to every service', () => {
    // constant arrivals far apart: latency = service = 1 us + 1000 B x 0.5 ns
    const model = { name: 'x', cpus: 1, traffic: { arrival: 'constant', rate: '1k', duration: '100ms', packetSize: 1000 }, datapath: { service: '1us', perByte: '0.5ns' } };
    const loaded = loadModelObject(model, 'm.yaml');
    const r = runScenario(loaded.scenario, loaded.catalog);
    expect(r.latency.baseline.mean).toBeCloseTo(1500, 6);
    // a capture gives every packet its own size: mean service = 1 us + 0.5 ns x mean wire size
    // (round robin over 64 CPUs: no packet waits, so latency = service)
    const cap = loadModelObject(replayModel('lo-us.pcap', { duration: '160ms', rss: 'roundrobin' }, { cpus: 64, datapath: { service: '1us', perByte: '0.5ns' } }), join(FIXTURES, 'm.yaml'));
    const rc = runScenario(cap.scenario, cap.catalog);
    const { sizes, times, warmup, duration } = cap.scenario.traffic;
    const services = times!.map((t, i) => ({ t, svc: 1000 + 0.5 * sizes![i] })).filter(({ t, svc }) => t >= warmup && t + svc <= duration);
    const meanSize = (services.reduce((a, b) => a + b.svc, 0) / services.length - 1000) / 0.5;
    expect(rc.latency.baseline.count).toBe(services.length);
    expect(rc.latency.baseline.mean!).toBeCloseTo(1000 + 0.5 * meanSize, 6);
  });
});

const tcpdump = spawnSync('tcpdump', ['--version']).status === 0;
const root = process.getuid?.() === 0;
describe.skipIf(!tcpdump || !root)('live: a capture made now with tcpdump (needs tcpdump and root)', () => {
  it('replays with the packet count and rate tcpdump reads back from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-live-'));
    const file = join(dir, 'live.pcap');
    const port0 = 39000 + (process.pid % 500);
    // --immediate-mode: otherwise TPACKET_V3 holds packets in a ring block until it times out,
    // and the SIGINT that ends the capture drops them
    const td = spawn('tcpdump', ['-i', 'lo', '-s', '96', '-U', '--immediate-mode', '--time-stamp-precision=nano', '-w', file, `udp and dst portrange ${port0}-${port0 + 3}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((ok) => td.stderr.on('data', (d: Buffer) => d.toString().includes('listening') && ok()));
    const sock = createSocket('udp4');
    for (let i = 0; i < 300; i++) {
      await new Promise<void>((ok) => sock.send(Buffer.alloc(10 + i), port0 + (i % 4), '127.0.0.1', () => ok()));
      if (i % 20 === 0) await new Promise((ok) => setTimeout(ok, 2));
    }
    sock.close();
    await new Promise((ok) => setTimeout(ok, 300));
    td.kill('SIGINT');
    await new Promise((ok) => td.on('exit', ok));
    expect(existsSync(file)).toBe(true);
    // tcpdump's own reading: one line per packet, nanosecond epoch times
    const lines = execFileSync('tcpdump', ['-nn', '-tt', '--nano', '-r', file], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().split('\n');
    const ns = (l: string) => BigInt(l.split(' ')[0].replace('.', ''));
    const span = Number(ns(lines.at(-1)!) - ns(lines[0]));
    const loaded = loadModelObject(replayModel(file, { duration: span }), join(dir, 'm.yaml'));
    expect(loaded.scenario.traffic.summary!.packets).toBe(lines.length);
    expect(loaded.scenario.traffic.summary!.span).toBe(span);
    const r = runScenario(loaded.scenario, loaded.catalog);
    expect(r.meta.packets.traced).toBe(lines.length);
    expect(r.throughput.offeredPps).toBeCloseTo(lines.length / (span / 1e9), 6);
  }, 30_000);
});

/**
 * A big-endian pcapng: two interfaces (Ethernet at 2^-20 s resolution, raw IP at the default
 * microseconds), an Ethernet frame, a VLAN-tagged UDP frame, a raw IPv4 packet; `simple` adds
 * a Simple Packet Block.
 */
function bigEndianPcapng(simple: boolean): Buffer {
  const blocks: Buffer[] = [];
  const block = (type: number, body: Buffer) => {
    const pad = Buffer.alloc((4 - (body.length % 4)) % 4);
    const len = 12 + body.length + pad.length;
    const head = Buffer.alloc(8);
    head.writeUInt32BE(type, 0);
    head.writeUInt32BE(len, 4);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(len, 0);
    blocks.push(Buffer.concat([head, body, pad, tail]));
  };
  const shb = Buffer.alloc(16);
  shb.writeUInt32BE(0x1a2b3c4d, 0);
  shb.writeUInt16BE(1, 4);
  shb.writeBigInt64BE(-1n, 8);
  block(0x0a0d0d0a, shb);
  const idb = (linkType: number, tsresol?: number) => {
    const b = Buffer.alloc(8 + (tsresol === undefined ? 0 : 8) + 4);
    b.writeUInt16BE(linkType, 0);
    b.writeUInt32BE(65535, 4);
    if (tsresol !== undefined) {
      b.writeUInt16BE(9, 8);
      b.writeUInt16BE(1, 10);
      b[12] = tsresol;
    }
    block(1, b);
  };
  idb(1, 0x80 | 20);
  idb(101);
  const udp4 = (vlan: boolean) => {
    const eth = Buffer.from([...Array(12).fill(0), ...(vlan ? [0x81, 0x00, 0x00, 0x05] : []), 0x08, 0x00]);
    const ip = Buffer.from([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, ...port(1000), ...port(2000), 0, 8, 0, 0]);
    return Buffer.concat([eth, ip]);
  };
  const epb = (ifc: number, units: bigint, frame: Buffer, wire: number) => {
    const b = Buffer.alloc(20);
    b.writeUInt32BE(ifc, 0);
    b.writeUInt32BE(Number(units >> 32n), 4);
    b.writeUInt32BE(Number(units & 0xffffffffn), 8);
    b.writeUInt32BE(frame.length, 12);
    b.writeUInt32BE(wire, 16);
    block(6, Buffer.concat([b, frame]));
  };
  const base = 1_700_000_000n;
  epb(0, base << 20n, udp4(false), 64);
  block(5, Buffer.alloc(16)); // an Interface Statistics Block: skipped
  epb(0, (base + 1n) << 20n, udp4(true), 1500);
  epb(1, (base + 1n) * 1_000_000n + 500_000n, udp4(false).subarray(14), 64);
  if (simple) {
    const spb = Buffer.alloc(4);
    spb.writeUInt32BE(64, 0);
    block(3, Buffer.concat([spb, udp4(false)]));
  }
  return Buffer.concat(blocks);
}
