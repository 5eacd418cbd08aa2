/** Draws a vega-lite spec into an element with vega-embed: SVG, no actions menu, no eval. */
import embed from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import type { VlSpec } from '../../report/chart-style.js';

/** Replaces the element's chart; a failure shows as text in its place, not as a blank box. */
export async function draw(el: HTMLElement, spec: VlSpec): Promise<void> {
  try {
    const res = await embed(el, spec as never, { actions: false, renderer: 'svg', ast: true, expr: expressionInterpreter, tooltip: true });
    el.dataset.drawn = String(Number(el.dataset.drawn ?? 0) + 1);
    void res;
  } catch (e) {
    el.textContent = `chart failed: ${e instanceof Error ? e.message : String(e)}`;
    el.classList.add('problem');
  }
}
