/**
 * vega-lite spec -> SVG string, headless: compile, a vega View with renderer 'none', toSVG.
 * No Node-only API, so the HTML report can be built in a browser too. vega and vega-lite load
 * on the first chart (a third of a second): commands that draw none never pay for them.
 */
import type * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';

/** Compiles a vega-lite spec and renders it to an SVG string, without a DOM. */
export async function renderSvg(vlSpec: object): Promise<string> {
  const [vg, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  let vgSpec: vega.Spec;
  try {
    // A copy: vega tags inline data rows in place (Symbol(vega_id)), and the caller's spec is theirs.
    vgSpec = compile(structuredClone(vlSpec) as TopLevelSpec).spec;
  } catch (err) {
    throw new Error(`chart spec does not compile (vega-lite): ${(err as Error).message}`);
  }
  // No loader access: every chart inlines its data.
  const view = new vg.View(vg.parse(vgSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
