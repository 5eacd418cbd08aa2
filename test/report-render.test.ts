import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { latencyChart, occupancyChart } from '../src/report/charts.js';
import { CJK_FONT_FILES, FONT_FILES, renderPng, renderSvg, writeCharts } from '../src/report/render.js';
import { loadFixture } from './fixtures/results.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const fontsPresent = FONT_FILES.every((f) => {
  try {
    readFileSync(f, { flag: 'r' }).subarray(0, 1);
    return true;
  } catch {
    return false;
  }
});

/** Share of pixels that are not (near) white, and the number of distinct colours. */
function pixelStats(png: Buffer): { width: number; height: number; inked: number; colours: number } {
  const img = PNG.sync.read(png);
  let inked = 0;
  const colours = new Set<number>();
  for (let i = 0; i < img.data.length; i += 4) {
    const [r, g, b] = [img.data[i], img.data[i + 1], img.data[i + 2]];
    if (r < 235 || g < 235 || b < 235) inked++;
    colours.add((r << 16) | (g << 8) | b);
  }
  return { width: img.width, height: img.height, inked: inked / (img.width * img.height), colours: colours.size };
}

const svgSize = (svg: string) => {
  const m = /<svg[^>]*\swidth="(\d+)"\s+height="(\d+)"/.exec(svg)!;
  return { width: Number(m[1]), height: Number(m[2]) };
};

describe('renderSvg', () => {
  it('renders the occupancy chart with its marks, axis titles and capacity label', async () => {
    const svg = await renderSvg(occupancyChart(loadFixture('perf-4cpu-lossy')));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.length).toBeGreaterThan(20_000);
    for (const text of ['simulated time (ms)', 'bytes occupied (KiB)', 'events lost per interval', 'capacity 32 KiB', 'Output buffer occupancy', 'cpu3']) {
      expect(svg).toContain(text);
    }
    expect(svg).toContain('mark-line');
    expect(svg).toContain('mark-area');
    expect(svg).toContain('mark-rect');
    expect(svg).toContain('mark-rule');
  });

  it('renders the latency chart: two line panels on log axes', async () => {
    const svg = await renderSvg(latencyChart(loadFixture('perf-4cpu-lossy')));
    expect(svg.match(/class="mark-line role-mark/g)!.length).toBeGreaterThanOrEqual(4);
    expect(svg).toContain('latency (µs, log scale)');
    expect(svg).toContain('CDF: share of packets ≤ x');
  });

  it('leaves the spec it is given untouched', async () => {
    const spec = occupancyChart(loadFixture('ringbuf-2cpu-clean'));
    const before = JSON.stringify(spec);
    await renderSvg(spec);
    expect(JSON.stringify(spec)).toBe(before);
    const row = (spec as { data: { values: object[] } }).data.values[0];
    expect(Object.getOwnPropertySymbols(row)).toEqual([]);
  });

  it('fails with a one-line message on a spec vega-lite rejects', async () => {
    await expect(renderSvg({ mark: 'nonsense-mark', data: { values: [] } })).rejects.toThrow(/^chart spec does not compile/);
  });
});

describe.skipIf(!fontsPresent)('renderPng', () => {
  it('makes a real PNG at twice the SVG size with ink, colours and text', async () => {
    const svg = await renderSvg(occupancyChart(loadFixture('perf-4cpu-lossy')));
    const png = renderPng(svg);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const stats = pixelStats(png);
    const size = svgSize(svg);
    expect(stats.width).toBe(2 * size.width);
    expect(stats.height).toBe(2 * size.height);
    expect(stats.inked).toBeGreaterThan(0.05);
    expect(stats.inked).toBeLessThan(0.9);
    expect(stats.colours).toBeGreaterThan(50);
  });

  it('draws text with the DejaVu fonts (resvg draws no text without fonts)', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/>' +
      '<text x="4" y="28" font-family="sans-serif" font-size="24">bpfsim</text></svg>';
    expect(pixelStats(renderPng(svg, { scale: 1 })).inked).toBeGreaterThan(0.03);
  });

  it('is byte-identical for the same SVG', async () => {
    const svg = await renderSvg(latencyChart(loadFixture('ringbuf-2cpu-clean')));
    expect(renderPng(svg).equals(renderPng(svg))).toBe(true);
  });
});

describe('renderPng without fonts', () => {
  it('names the Debian package to install', () => {
    expect(() => renderPng('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', { fontFiles: ['/nonexistent/DejaVuSans.ttf'] })).toThrow(
      /fonts-dejavu-core/,
    );
  });
});

describe.skipIf(!fontsPresent)('writeCharts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfsim-charts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes name.vl.json, name.svg and name.png per chart', async () => {
    const spec = occupancyChart(loadFixture('ringbuf-2cpu-clean'));
    const written = await writeCharts(dir, [{ name: 'occupancy', spec }]);
    expect(written.map((p) => p.slice(dir.length + 1))).toEqual(['occupancy.vl.json', 'occupancy.svg', 'occupancy.png']);
    expect(readdirSync(dir).sort()).toEqual(['occupancy.png', 'occupancy.svg', 'occupancy.vl.json']);
    expect(JSON.parse(readFileSync(join(dir, 'occupancy.vl.json'), 'utf8'))).toEqual(spec);
    expect(readFileSync(join(dir, 'occupancy.svg'), 'utf8')).toContain('capacity 256 KiB');
    expect(readFileSync(join(dir, 'occupancy.png')).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('refuses a chart name that is not a plain file name', async () => {
    await expect(writeCharts(dir, [{ name: '../escape', spec: {} }])).rejects.toThrow(/chart name "\.\.\/escape"/);
  });
});

describe('text beyond Latin in PNG charts', () => {
  const cjkFonts = CJK_FONT_FILES.every((f) => existsSync(f));
  // A text-only SVG: the ink is the glyphs. DejaVu has no CJK glyphs, so without the fallback
  // the PNG would stay blank (or show boxes); with Noto Sans CJK the characters are drawn.
  const svg = (text: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="28" font-family="DejaVu Sans" font-size="24">${text}</text></svg>`;

  it.skipIf(!fontsPresent || !cjkFonts)('draws a model named in Chinese, Japanese or Korean (fonts-noto-cjk)', () => {
    const cjk = pixelStats(renderPng(svg('跟踪 トレース 추적')));
    const latin = pixelStats(renderPng(svg('trace tool name')));
    expect(cjk.inked).toBeGreaterThan(0.05);
    expect(cjk.inked).toBeGreaterThan(latin.inked * 0.5);
  });
});
