/**
 * The look shared by every chart: font (the one resvg is given, so PNGs match on every machine),
 * sizes readable at 100% zoom, white background, a fixed palette for the recurring series.
 */

/** A vega-lite spec as plain JSON. */
export type VlSpec = Record<string, unknown>;

/** The font family charts ask for; render.ts hands resvg exactly this family's files. */
export const CHART_FONT = 'DejaVu Sans';

export const COLORS = {
  baseline: '#4c78a8',
  traced: '#e45756',
  loss: '#d62728',
  capacity: '#444444',
  staticLine: '#4c78a8',
  simulated: '#f58518',
  band: '#9ecae9',
} as const;

export const WIDTH = 560;
export const HEIGHT = 260;

const CONFIG = {
  font: CHART_FONT,
  background: 'white',
  padding: 8,
  view: { stroke: '#dddddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e8e8e8' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom', direction: 'horizontal', labelLimit: 400 },
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555555', anchor: 'start', offset: 10 },
  header: { labelFontSize: 12, titleFontSize: 12 },
};

/** A complete top-level spec: schema, shared config, then the chart's own fields. */
export function topLevel(title: string, subtitle: string | string[] | undefined, body: VlSpec): VlSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: subtitle ? { text: title, subtitle } : title,
    config: CONFIG,
    ...body,
  };
}
