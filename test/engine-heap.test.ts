import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventHeap } from '../src/engine/heap.js';

describe('EventHeap', () => {
  it('pops in time order, ties in insertion order, whatever the push order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const h = new EventHeap(2); // small on purpose: exercises growth
        times.forEach((t, i) => h.push(t, i));
        const out: [number, number][] = [];
        while (h.size > 0) {
          h.pop();
          out.push([h.topTime, h.topA]);
        }
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(expected);
      }),
    );
  });

  it('interleaved pushes and pops keep the heap order and carry both payload words', () => {
    const h = new EventHeap(4);
    const live: number[] = [];
    let x = 12345;
    const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let last = -Infinity;
    let now = 0;
    for (let i = 0; i < 5000; i++) {
      if (live.length === 0 || rnd() < 0.55) {
        const t = now + rnd() * 100;
        h.push(t, i, -i);
        live.push(t);
      } else {
        h.pop();
        expect(h.topTime).toBeGreaterThanOrEqual(last);
        expect(h.topB + h.topA).toBe(0);
        last = h.topTime;
        now = h.topTime;
        live.splice(live.indexOf(h.topTime), 1);
      }
      expect(h.size).toBe(live.length);
      expect(h.peekTime()).toBe(live.length ? Math.min(...live) : Infinity);
    }
  });
});
