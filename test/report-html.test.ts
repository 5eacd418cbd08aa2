import { describe, expect, it } from 'vitest';
import { latencyChart, occupancyChart } from '../src/report/charts.js';
import { renderHtmlReport, runReport } from '../src/report/html.js';
import { formatNs } from '../src/units/format.js';
import { loadFixture } from './fixtures/results.js';

/** Nothing in the page may fetch: no script, no stylesheet link, no src, no remote url(). */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<script\b/i);
  expect(html).not.toMatch(/<link\b/i);
  expect(html).not.toMatch(/\ssrc=/i);
  expect(html).not.toMatch(/url\(\s*['"]?https?:/i);
  expect(html).not.toMatch(/href="https?:/i);
}

describe('renderHtmlReport', () => {
  it('embeds each chart as inline SVG in its own figure, with tables, notes, model and meta', async () => {
    const r = loadFixture('ringbuf-2cpu-clean');
    const html = await renderHtmlReport({
      title: 'A <test> report',
      modelText: 'name: "x & y"\nprobes: [<none>]\n',
      sections: [
        {
          heading: 'Numbers',
          html: '<p class="lead">trusted</p>',
          table: { columns: ['', 'a', 'b'], rows: [['row & one', 1, '2 µs']] },
          notes: ['a <note>'],
          charts: [
            { name: 'occupancy', spec: occupancyChart(r) },
            { name: 'latency', spec: latencyChart(r) },
          ],
        },
      ],
      warnings: ['careful <here>'],
      meta: { seed: 7, packets: { traced: 1 } },
    });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expectSelfContained(html);
    expect(html).toContain('<title>A &lt;test&gt; report</title>');
    expect(html).toContain('<pre>name: &quot;x &amp; y&quot;\nprobes: [&lt;none&gt;]\n</pre>');
    expect(html).toContain('<p class="lead">trusted</p>');
    expect(html).toContain('<th scope="row">row &amp; one</th><td>1</td><td>2 µs</td>');
    expect(html).toContain('<p class="note">a &lt;note&gt;</p>');
    expect(html).toContain('<li>careful &lt;here&gt;</li>');
    expect(html).toContain('<th scope="row">packets</th><td>{&quot;traced&quot;:1}</td>');
    for (const name of ['occupancy', 'latency']) {
      const fig = new RegExp(`<figure class="chart" id="chart-${name}" data-chart="${name}">\\n<svg[\\s\\S]*?</svg>\\n</figure>`);
      expect(html).toMatch(fig);
    }
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('simulated time (ms)');
  });

  it('refuses two charts with one name (they become element ids)', async () => {
    const spec = latencyChart(loadFixture('ringbuf-2cpu-clean'));
    await expect(
      renderHtmlReport({ title: 't', sections: [{ heading: 'a', charts: [{ name: 'x', spec }] }, { heading: 'b', charts: [{ name: 'x', spec }] }] }),
    ).rejects.toThrow(/chart name "x" used twice/);
  });
});

describe('runReport', () => {
  it('builds the standard sections of one run with its numbers, charts, warnings and model', async () => {
    const r = loadFixture('perf-4cpu-lossy');
    const html = await runReport(r, 'name: conntrack tracer\n');
    expectSelfContained(html);
    for (const heading of [
      'Verdict',
      'Latency (per packet)',
      'Throughput',
      'Events',
      'Events per CPU',
      'Buffer occupancy',
      'Wake-ups',
      'CPU: simulation beside the static estimate',
      'Memory',
      'Log',
      'Model as run',
      'About this run',
    ]) {
      expect(html).toContain(`>${heading}</h2>`);
    }
    expect(html).toContain('<span class="grade grade-heavy">heavy</span>');
    // The static estimate sits beside the simulation in one table.
    expect(html).toContain('<th scope="col">simulated</th><th scope="col">static estimate</th>');
    expect(html).toContain('<th scope="row">kernel side, sum over 4 CPUs</th><td>27.6%</td><td>20.0%</td>');
    expect(html).toContain(`<td>${formatNs(r.latency.traced.p99)}</td>`);
    for (const chart of ['latency', 'occupancy', 'cpu-vs-rate']) expect(html).toContain(`id="chart-${chart}"`);
    expect(html).toContain('Warnings (1)');
    expect(html).toContain('loss above 1%: 11.9% of events lost');
    expect(html).toContain('<pre>name: conntrack tracer\n</pre>');
    // Metadata in words; no command or date unless given (the CLI gives both).
    expect(html).toContain('<th scope="row">simulated time</th><td>1.00 s, of which the first 50.0 ms is warm-up (not measured)</td>');
    expect(html).not.toContain('>command<');
  });

  it('says which command made it and when, from the caller, never from the Result', async () => {
    const r = loadFixture('perf-4cpu-lossy');
    const before = JSON.stringify(r);
    const html = await runReport(r, '', { command: 'bpfsim run m.yaml --report r.html', date: new Date('2026-12-04T16:30:00.123Z') });
    expect(html).toContain('<th scope="row">command</th><td>bpfsim run m.yaml --report r.html</td>');
    expect(html).toContain('<th scope="row">written</th><td>2026-12-04 16:30:00 UTC</td>');
    expect(JSON.stringify(r)).toBe(before);
  });

  it('shows the per-CPU table even when losses are even, and lists all rings when there are many', async () => {
    const clean = await runReport(loadFixture('ringbuf-2cpu-clean'), '');
    expect(clean).toContain('>Events per CPU</h2>');
    expect(clean).not.toContain('class="warnings"');
    const wide = await runReport(loadFixture('perf-16cpu-wide'), '');
    expect(wide).toContain('<summary>all 16 rings</summary>');
    expect(wide).toContain('<th scope="row">cpu15</th>');
  });

  it('gives the same page for the same Result', async () => {
    const r = loadFixture('perf-16cpu-wide');
    expect(await runReport(r, 'm')).toBe(await runReport(loadFixture('perf-16cpu-wide'), 'm'));
  });
});
