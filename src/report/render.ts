/**
 * Chart files: SVG (svg.ts) -> PNG with resvg and explicit DejaVu font files (the same pixels on
 * every machine), and writing a set of charts as vega-lite JSON, SVG and PNG.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { CHART_FONT, type VlSpec } from './chart-style.js';
import { renderSvg } from './svg.js';

export { renderSvg };

// resvg (a native module) loads on the first PNG, not with every command.
const require = createRequire(import.meta.url);
let resvgModule: typeof import('@resvg/resvg-js') | undefined;
const resvg = (): typeof import('@resvg/resvg-js') => (resvgModule ??= require('@resvg/resvg-js') as typeof import('@resvg/resvg-js'));

export const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
export const FONT_FILES = [join(FONT_DIR, 'DejaVuSans.ttf'), join(FONT_DIR, 'DejaVuSans-Bold.ttf')];
export const FONT_PACKAGE = 'fonts-dejavu-core';

/**
 * Fallback for text DejaVu has no glyphs for (a model or variant named in Chinese, Japanese or
 * Korean): Noto Sans CJK from the Debian package fonts-noto-cjk, used when it is installed.
 * Latin text keeps DejaVu, so its pixels do not depend on it.
 */
export const CJK_FONT_FILES = ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc'];

export interface PngOptions {
  /** Pixel density: 2 gives crisp text on high-DPI screens and in documents. */
  scale?: number;
  /** Font files to use instead of the Debian DejaVu set. */
  fontFiles?: string[];
}

/** Renders an SVG string to PNG bytes. Throws, naming the Debian package, if fonts are missing. */
export function renderPng(svg: string, opts: PngOptions = {}): Buffer {
  const fontFiles = opts.fontFiles ?? FONT_FILES;
  const missing = fontFiles.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `chart fonts missing: ${missing.join(', ')}; install the Debian package ${FONT_PACKAGE} ` +
        `(apt-get install -y ${FONT_PACKAGE}) — without fonts the PNG would have no text`,
    );
  }
  // Only text beyond Latin needs the CJK fallback: loading it costs time on every chart.
  const fallback = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/.test(svg) ? CJK_FONT_FILES.filter((f) => existsSync(f)) : [];
  const image = new (resvg().Resvg)(svg, {
    fitTo: { mode: 'zoom', value: opts.scale ?? 2 },
    background: 'white',
    font: {
      fontFiles: [...fontFiles, ...fallback],
      loadSystemFonts: false,
      defaultFontFamily: CHART_FONT,
      sansSerifFamily: CHART_FONT,
    },
  });
  return image.render().asPng();
}

export interface NamedChart {
  /** File stem: letters, digits, '-', '_' and '.'. */
  name: string;
  spec: VlSpec | object;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Writes name.vl.json, name.svg and name.png for each chart into dir; returns the paths written. */
export async function writeCharts(dir: string, charts: NamedChart[]): Promise<string[]> {
  for (const c of charts) {
    if (!SAFE_NAME.test(c.name)) {
      throw new Error(`chart name "${c.name}": expected letters, digits, '.', '-' or '_' (it becomes a file name)`);
    }
  }
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const { name, spec } of charts) {
    const svg = await renderSvg(spec);
    const files: [string, string | Buffer][] = [
      [`${name}.vl.json`, JSON.stringify(spec, null, 2) + '\n'],
      [`${name}.svg`, svg],
      [`${name}.png`, renderPng(svg)],
    ];
    for (const [file, content] of files) {
      const path = join(dir, file);
      await writeFile(path, content);
      written.push(path);
    }
  }
  return written;
}
