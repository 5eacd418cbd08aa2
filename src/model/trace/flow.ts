/**
 * The flow of a captured frame: link layer (Ethernet with VLAN tags, Linux cooked v1/v2, raw
 * IP, BSD loopback) -> IPv4/IPv6 -> TCP/UDP ports. What RSS hashes: source and destination
 * address, then source and destination port for TCP and UDP (not for fragments after the
 * first, which carry no ports); other IP protocols hash on the addresses alone. Non-IP frames
 * have no flow: a NIC gives them hash 0.
 */

/** pcap link types (tcpdump.org/linktypes.html). */
const LINKTYPE_NULL = 0;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LOOP = 108;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_LINUX_SLL2 = 276;
const LINKTYPE_IPV4 = 228;
const LINKTYPE_IPV6 = 229;

export const SUPPORTED_LINK_TYPES: ReadonlySet<number> = new Set([
  LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LOOP, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_IPV4, LINKTYPE_IPV6,
]);

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_VLAN = [0x8100, 0x88a8, 0x9100];
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
/** IPv6 extension headers skipped on the way to TCP/UDP: hop-by-hop, routing, destination options. */
const IPV6_SKIPPED = new Set([0, 43, 60]);
const IPV6_FRAGMENT = 44;

export interface Flow {
  /** RSS input: source address, destination address, then (TCP/UDP) source port, destination port. */
  hashInput: Uint8Array;
  /** IP protocol number (for telling flows apart: TCP and UDP on the same ports are two flows). */
  protocol: number;
}

/** The flow of one frame (`data`: its captured bytes), or undefined for a non-IP frame. */
export function flowOf(linkType: number, data: Uint8Array): Flow | undefined {
  const ip = ipStart(linkType, data);
  if (ip === undefined || ip.offset >= data.length) return undefined;
  return ip.version === 4 ? ipv4Flow(data, ip.offset) : ip.version === 6 ? ipv6Flow(data, ip.offset) : undefined;
}

function u16(d: Uint8Array, o: number): number {
  return (d[o] << 8) | d[o + 1];
}

/** Where the IP header starts, and its version (from the link header, else the first nibble). */
function ipStart(linkType: number, d: Uint8Array): { offset: number; version: number } | undefined {
  const byEtherType = (type: number, offset: number) =>
    type === ETH_IPV4 ? { offset, version: 4 } : type === ETH_IPV6 ? { offset, version: 6 } : undefined;
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      let o = 12;
      if (d.length < o + 2) return undefined;
      let type = u16(d, o);
      // up to two VLAN tags (802.1Q, QinQ)
      for (let tags = 0; tags < 2 && ETH_VLAN.includes(type) && d.length >= o + 6; tags++) {
        o += 4;
        type = u16(d, o);
      }
      return byEtherType(type, o + 2);
    }
    case LINKTYPE_LINUX_SLL:
      return d.length < 16 ? undefined : byEtherType(u16(d, 14), 16);
    case LINKTYPE_LINUX_SLL2:
      return d.length < 20 ? undefined : byEtherType(u16(d, 0), 20);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      // a 4-byte address family (host byte order for NULL, network for LOOP): let the IP header say
      return d.length < 5 ? undefined : { offset: 4, version: d[4] >> 4 };
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return d.length < 1 ? undefined : { offset: 0, version: d[0] >> 4 };
    default:
      return undefined;
  }
}

function ipv4Flow(d: Uint8Array, o: number): Flow | undefined {
  if (d.length < o + 20) return undefined;
  const ihl = (d[o] & 0x0f) * 4;
  const protocol = d[o + 9];
  const fragmentOffset = u16(d, o + 6) & 0x1fff;
  const addrs = d.subarray(o + 12, o + 20);
  const l4 = o + ihl;
  const ports = fragmentOffset === 0 && (protocol === IPPROTO_TCP || protocol === IPPROTO_UDP) && d.length >= l4 + 4;
  return { protocol, hashInput: concat(addrs, ports ? d.subarray(l4, l4 + 4) : undefined) };
}

function ipv6Flow(d: Uint8Array, o: number): Flow | undefined {
  if (d.length < o + 40) return undefined;
  const addrs = d.subarray(o + 8, o + 40);
  let next = d[o + 6];
  let l4 = o + 40;
  let firstFragment = true;
  // bounded: a frame cannot hold more extension headers than this
  for (let hops = 0; hops < 8 && l4 + 8 <= d.length; hops++) {
    if (IPV6_SKIPPED.has(next)) {
      const len = (d[l4 + 1] + 1) * 8;
      next = d[l4];
      l4 += len;
    } else if (next === IPV6_FRAGMENT) {
      firstFragment = (u16(d, l4 + 2) & 0xfff8) === 0;
      next = d[l4];
      l4 += 8;
    } else break;
  }
  const ports = firstFragment && (next === IPPROTO_TCP || next === IPPROTO_UDP) && d.length >= l4 + 4;
  return { protocol: next, hashInput: concat(addrs, ports ? d.subarray(l4, l4 + 4) : undefined) };
}

function concat(a: Uint8Array, b: Uint8Array | undefined): Uint8Array {
  const out = new Uint8Array(a.length + (b?.length ?? 0));
  out.set(a, 0);
  if (b) out.set(b, a.length);
  return out;
}
