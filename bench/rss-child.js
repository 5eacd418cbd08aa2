/**
 * Peak resident memory of one tracer-model run of N packets, in a fresh process so that the
 * peak belongs to that run alone. usage: node bench/rss-child.js PACKETS
 * prints one JSON line: packets, seconds, maxRssMB.
 */
import { tracerModel, runTracer } from './tracer.js';

const packets = Number(process.argv[2]);
const r = runTracer(tracerModel(packets));
const maxRssMB = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
console.log(JSON.stringify({ packets: r.packets, seconds: r.seconds, maxRssMB }));
