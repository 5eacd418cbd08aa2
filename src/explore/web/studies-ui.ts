/**
 * The page's studies: a sweep of one knob with CI bands, the sensitivity tornado, the cheapest
 * setting within limits. Each runs its settings x replications in the background (after the
 * main run and its replications), redraws as results arrive, and starts over when the model or
 * its own settings change. Seeds: replication r of every setting runs with seed S + r (common
 * random numbers, as the CLI's sweeps).
 */
import { compareBarsChart, sweepChart } from '../../report/charts-experiment.js';
import { formatBytes, sig3 } from '../../units/format.js';
import { aggregateFigure } from '../../whatif/aggregate.js';
import type { Figures } from '../../whatif/figures.js';
import { replicationSeed } from '../../whatif/seeds.js';
import { cheapestChart, tornadoChart, type TornadoRow } from '../charts.js';
import { knobsFor, optionAxis, optionNumber, type Knob } from '../knobs.js';
import { assignments, type Overrides } from '../overrides-state.js';
import { cheapestCandidates, cheapestVerdicts, optionsBetween, sensitivityCandidates, sweepCandidates, type Candidate, type Objective } from '../studies.js';
import { draw } from './charts.js';
import { debounce, h, table } from './dom.js';
import type { PageContext, StudyId } from './context.js';
import { Cancelled } from './pool.js';


/** Figures a study can be about. */
const FIGURES: [string, string][] = [
  ['events.lostPct', 'events lost (%)'],
  ['throughput.lossPct', 'packets lost (%)'],
  ['latency.inflation.meanPct', 'mean latency inflation (%)'],
  ['latency.inflation.p99Pct', 'p99 latency inflation (%)'],
  ['latency.traced.p99', 'traced p99 latency (ns)'],
  ['cpu.kernelPctMean', 'probe overhead (% per CPU)'],
  ['cpu.consumerPct', 'reader busy (%)'],
  ['memory.total.maxBytes', 'memory, max (bytes)'],
  ['occupancy.backlog.maxRecords', 'reader backlog, max (records)'],
];
const figureTitle = (path: string) => FIGURES.find(([p]) => p === path)?.[1] ?? path;

/** Knobs whose setting says what the system is, not how long it is watched. */
const STUDY_KNOBS = (k: Knob) => k.active && k.id !== 'duration';

interface Progress {
  key: string;
  candidates: Candidate[];
  figures: Figures[][];
  done: number;
  total: number;
}

export class Studies {
  private progress = new Map<StudyId, Progress>();
  private panels = new Map<StudyId, HTMLElement>();
  private readonly redraw = new Map<StudyId, () => void>();

  constructor(private readonly app: PageContext) {
    for (const id of ['sweep', 'sensitivity', 'cheapest'] as const) this.redraw.set(id, debounce(() => this.drawResults(id), 250));
  }

  private get(key: string, fallback: string): string {
    return this.app.settings[key] ?? fallback;
  }

  /** The model changed: the open study starts over; the others when opened. */
  stale(): void {
    this.progress.clear();
    const view = this.app.view;
    if (view === 'sweep' || view === 'sensitivity' || view === 'cheapest') {
      const panel = this.panels.get(view);
      if (panel) this.render(view, panel);
    }
  }

  render(id: StudyId, panel: HTMLElement): void {
    this.panels.set(id, panel);
    if (!this.app.run) {
      panel.replaceChildren(h('p', { class: 'note' }, 'waiting for the first run ...'));
      return;
    }
    const knobs = knobsFor(this.app.current().model).filter(STUDY_KNOBS);
    const form = id === 'sweep' ? this.sweepForm(knobs) : id === 'sensitivity' ? this.sensitivityForm(knobs) : this.cheapestForm(knobs);
    panel.replaceChildren(form, h('div', { class: 'progress', id: `${id}-progress` }), h('div', { class: 'chart', id: `chart-${id}`, 'data-chart': id }), h('div', { id: `${id}-table` }));
    this.start(id, knobs);
  }

  private changeSetting(id: StudyId, key: string, value: string): void {
    this.app.setting(key, value);
    this.app.pool.cancel(['study']);
    this.progress.delete(id);
    const panel = this.panels.get(id);
    if (panel) this.render(id, panel);
  }

  private select(id: StudyId, key: string, label: string, options: [string, string][], value: string): HTMLElement {
    return h('label', {}, label, h('select', { id: `${id}-${key.split('.')[1]}`, onchange: (e) => this.changeSetting(id, key, (e.target as HTMLSelectElement).value) }, ...options.map(([v, l]) => h('option', { value: v, selected: v === value }, l))));
  }

  private number(id: StudyId, key: string, label: string, value: string, attrs: Record<string, number>): HTMLElement {
    return h('label', {}, label, h('input', { type: 'number', id: `${id}-${key.split('.')[1]}`, value, style: 'width: 80px', ...attrs, onchange: (e) => this.changeSetting(id, key, (e.target as HTMLInputElement).value) }));
  }

  private ticks(id: StudyId, key: string, knobs: Knob[], chosen: Set<string>): HTMLElement {
    return h(
      'div',
      { class: 'ticks' },
      ...knobs.map((k) =>
        h('label', {}, h('input', {
          type: 'checkbox', checked: chosen.has(k.id), 'data-knob': k.id,
          onchange: (e) => {
            const on = (e.target as HTMLInputElement).checked;
            const next = knobs.filter((x) => (x.id === k.id ? on : chosen.has(x.id))).map((x) => x.id);
            this.changeSetting(id, key, next.join(','));
          },
        }), ` ${k.label}`),
      ),
    );
  }

  private reps(key: string, fallback: number): number {
    const n = Number(this.get(key, String(fallback)));
    return Number.isInteger(n) && n >= 1 ? Math.min(n, 20) : fallback;
  }

  // ---- the three forms -----------------------------------------------------------------------

  private sweepKnob(knobs: Knob[]): Knob | undefined {
    const fallback = knobs.find((k) => k.id === 'pageCnt') ?? knobs.find((k) => k.id === 'size') ?? knobs[0];
    return knobs.find((k) => k.id === this.get('sweep.knob', '')) ?? fallback;
  }

  /** Default sweep range: the whole list when short, else three options either side of the current. */
  private sweepRange(knob: Knob): [string, string] {
    const i = Math.max(0, knob.options.findIndex((o) => o.value === knob.current));
    const lo = knob.options.length <= 9 ? 0 : Math.max(0, i - 3);
    const hi = knob.options.length <= 9 ? knob.options.length - 1 : Math.min(knob.options.length - 1, i + 3);
    const from = this.get('sweep.from', '');
    const to = this.get('sweep.to', '');
    const has = (v: string) => knob.options.some((o) => o.value === v);
    return [has(from) ? from : knob.options[lo].value, has(to) ? to : knob.options[hi].value];
  }

  private sweepForm(knobs: Knob[]): HTMLElement {
    const knob = this.sweepKnob(knobs);
    if (!knob) return h('p', { class: 'note' }, 'no knob to sweep in this model');
    const [from, to] = this.sweepRange(knob);
    const opts = knob.options.map((o) => [o.value, o.label] as [string, string]);
    return h(
      'div',
      { class: 'study-form' },
      h('label', {}, 'knob', h('select', {
        id: 'sweep-knob',
        onchange: (e) => {
          this.app.settings = { ...this.app.settings, 'sweep.from': '', 'sweep.to': '' };
          this.changeSetting('sweep', 'sweep.knob', (e.target as HTMLSelectElement).value);
        },
      }, ...knobs.map((k) => h('option', { value: k.id, selected: k.id === knob.id }, k.label)))),
      this.select('sweep', 'sweep.from', 'from', opts, from),
      this.select('sweep', 'sweep.to', 'to', opts, to),
      this.select('sweep', 'sweep.figure', 'figure', FIGURES, this.get('sweep.figure', 'events.lostPct')),
      this.number('sweep', 'sweep.reps', 'replications', String(this.reps('sweep.reps', 3)), { min: 1, max: 20 }),
    );
  }

  private chosen(key: string, knobs: Knob[], defaults: string[]): Set<string> {
    const text = this.app.settings[key];
    const ids = text === undefined ? defaults : text.split(',').filter(Boolean);
    return new Set(ids.filter((id) => knobs.some((k) => k.id === id)));
  }

  private sensitivityForm(knobs: Knob[]): HTMLElement {
    const chosen = this.chosen('sens.knobs', knobs, knobs.map((k) => k.id));
    return h(
      'div',
      {},
      h('div', { class: 'study-form' },
        this.select('sensitivity', 'sens.figure', 'figure', FIGURES, this.get('sens.figure', 'events.lostPct')),
        this.number('sensitivity', 'sens.reps', 'replications', String(this.reps('sens.reps', 2)), { min: 1, max: 20 })),
      h('div', { class: 'note' }, 'knobs moved one option down and up from the current setting:'),
      this.ticks('sensitivity', 'sens.knobs', knobs, chosen),
    );
  }

  private cheapestForm(knobs: Knob[]): HTMLElement {
    const sizes = knobs.filter((k) => ['pageCnt', 'size', 'wakeupEvents', 'notify', 'batch', 'sample', 'filter', 'type', 'runtime', 'placement', 'callback'].includes(k.id));
    const chosen = this.chosen('cheap.knobs', sizes, ['pageCnt', 'size', 'wakeupEvents', 'notify']);
    return h(
      'div',
      {},
      h('div', { class: 'study-form' },
        this.number('cheapest', 'cheap.loss', 'events lost below (%)', this.get('cheap.loss', '1'), { min: 0, step: 0.1 }),
        this.number('cheapest', 'cheap.infl', 'mean latency inflation below (%)', this.get('cheap.infl', '50'), { min: 0, step: 1 }),
        this.select('cheapest', 'cheap.objective', 'least', [['memory', 'memory'], ['cpu', 'CPU (probes + reader)']], this.get('cheap.objective', 'memory')),
        this.number('cheapest', 'cheap.max', 'settings at most', this.get('cheap.max', '24'), { min: 1, max: 200 }),
        this.number('cheapest', 'cheap.reps', 'replications', String(this.reps('cheap.reps', 1)), { min: 1, max: 20 })),
      h('div', { class: 'note' }, 'over the ticked knobs (their options thinned evenly to the number of settings):'),
      this.ticks('cheapest', 'cheap.knobs', sizes, chosen),
    );
  }

  // ---- running ---------------------------------------------------------------------------------

  private plan(id: StudyId, knobs: Knob[]): { candidates: Candidate[]; reps: number } {
    const app = this.app;
    const base = app.base;
    if (id === 'sweep') {
      const knob = this.sweepKnob(knobs);
      if (!knob) return { candidates: [], reps: 1 };
      const [from, to] = this.sweepRange(knob);
      return { candidates: sweepCandidates(base, app.overrides, knob, optionsBetween(knob, from, to)), reps: this.reps('sweep.reps', 3) };
    }
    if (id === 'sensitivity') {
      const chosen = this.chosen('sens.knobs', knobs, knobs.map((k) => k.id));
      const current: Candidate = { label: 'current', overrides: app.overrides, values: {} };
      return { candidates: [current, ...sensitivityCandidates(base, app.overrides, knobs.filter((k) => chosen.has(k.id)))], reps: this.reps('sens.reps', 2) };
    }
    const chosen = this.chosen('cheap.knobs', knobs, ['pageCnt', 'size', 'wakeupEvents', 'notify']);
    const max = Math.max(1, Math.min(200, Number(this.get('cheap.max', '24')) || 24));
    return { candidates: cheapestCandidates(base, app.overrides, knobs.filter((k) => chosen.has(k.id)), max), reps: this.reps('cheap.reps', 1) };
  }

  private start(id: StudyId, knobs: Knob[]): void {
    const { candidates, reps } = this.plan(id, knobs);
    const key = `${this.app.generation}|${JSON.stringify(candidates.map((c) => c.overrides))}|${reps}`;
    const had = this.progress.get(id);
    if (had && had.key === key) {
      this.drawResults(id);
      return;
    }
    const p: Progress = { key, candidates, figures: candidates.map(() => []), done: 0, total: candidates.length * reps };
    this.progress.set(id, p);
    const seed = Number(this.app.current().model.seed ?? this.app.run?.seed ?? 1);
    const gen = this.app.generation;
    // Replication-major: a first estimate of every setting, then the intervals narrow.
    for (let r = 0; r < reps; r++) {
      candidates.forEach((c, i) => {
        this.app.pool
          .run({ text: this.app.data.text, file: this.app.data.file, set: assignments(c.overrides), ...(r > 0 ? { seed: replicationSeed(seed, r) } : {}), full: false }, 'study', 2)
          .then((res) => {
            if (this.progress.get(id) !== p || gen !== this.app.generation) return;
            p.done++;
            if (res.ok) p.figures[i][r] = res.figures;
            this.redraw.get(id)!();
          })
          .catch((e) => {
            if (!(e instanceof Cancelled)) throw e;
          });
      });
    }
    this.drawResults(id);
  }

  private drawResults(id: StudyId): void {
    const p = this.progress.get(id);
    const panel = this.panels.get(id);
    if (!p || !panel || !panel.isConnected) return;
    const progress = panel.querySelector<HTMLElement>(`#${id}-progress`);
    if (progress) {
      progress.textContent = p.total === 0 ? 'nothing to run: tick a knob' : `${p.done} of ${p.total} runs${p.done < p.total ? ' ...' : ' done'}`;
      progress.dataset.done = String(p.done === p.total);
    }
    const chart = panel.querySelector<HTMLElement>(`#chart-${id}`);
    const tableBox = panel.querySelector<HTMLElement>(`#${id}-table`);
    if (!chart || !tableBox) return;
    const knobs = knobsFor(this.app.current().model).filter(STUDY_KNOBS);
    if (id === 'sweep') this.drawSweep(p, knobs, chart, tableBox);
    else if (id === 'sensitivity') this.drawSensitivity(p, knobs, chart, tableBox);
    else this.drawCheapest(p, chart, tableBox);
  }

  private drawSweep(p: Progress, knobs: Knob[], chart: HTMLElement, box: HTMLElement): void {
    const knob = this.sweepKnob(knobs);
    if (!knob) return;
    const figure = this.get('sweep.figure', 'events.lostPct');
    const rows = p.candidates.map((c, i) => {
      const ci = aggregateFigure(p.figures[i].filter(Boolean), figure);
      const value = c.values[knob.id];
      return { value, label: knob.options.find((o) => o.value === value)?.label ?? value, ci };
    });
    const have = rows.filter((r) => r.ci);
    if (have.length === 0) return;
    const numeric = have.every((r) => optionNumber(knob, r.value) !== undefined);
    const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);
    if (numeric) {
      const xs = have.map((r) => optionNumber(knob, r.value)!);
      const xLog = xs.every((x) => x > 0) && Math.max(...xs) / Math.min(...xs) >= 16;
      const { scale, unit } = optionAxis(knob, xs);
      // A figure that is never negative gets no band below 0 (few replications make wide intervals).
      const floor = (i: number) => (p.figures[i].filter(Boolean).every((f) => (f[figure] ?? 0) >= 0) ? 0 : -Infinity);
      const data = have.map((r) => {
        const i = rows.indexOf(r);
        const lo = finite(r.ci!.lo);
        return { x: optionNumber(knob, r.value)! / scale, y: r.ci!.mean, lo: lo === null ? null : Math.max(floor(i), lo), hi: finite(r.ci!.hi) };
      });
      const xTitle = `${knob.label}${unit ? ` (${unit}${xLog ? ', log' : ''})` : xLog ? ' (log)' : ''}`;
      void draw(chart, sweepChart(data, 'x', 'y', undefined, { title: `${figureTitle(figure)} vs ${knob.label}`, xTitle, yTitle: figureTitle(figure), xLog, ...(data.some((d) => d.lo !== null) ? { lo: 'lo', hi: 'hi' } : {}) }));
    } else {
      void draw(chart, compareBarsChart(have.map((r) => ({ variant: r.label, metric: figureTitle(figure), value: r.ci!.mean, lo: finite(r.ci!.lo) ?? undefined, hi: finite(r.ci!.hi) ?? undefined })), { title: `${figureTitle(figure)} by ${knob.label}`, columns: 1 }));
    }
    box.replaceChildren(table([knob.label, 'mean', '95% CI', 'runs'], rows.map((r) => [r.label, r.ci ? sig3(r.ci.mean) : '…', r.ci && Number.isFinite(r.ci.halfWidth) ? `${sig3(r.ci.lo)} … ${sig3(r.ci.hi)}` : '—', String(r.ci?.n ?? 0)])));
  }

  private drawSensitivity(p: Progress, knobs: Knob[], chart: HTMLElement, box: HTMLElement): void {
    const figure = this.get('sens.figure', 'events.lostPct');
    const mean = (i: number) => aggregateFigure(p.figures[i].filter(Boolean), figure)?.mean;
    const base = mean(0);
    if (base === undefined) return;
    const rows = new Map<string, TornadoRow>();
    p.candidates.forEach((c, i) => {
      const s = c as Candidate & { knob?: string; side?: 'low' | 'high' };
      const value = mean(i);
      if (!s.knob || !s.side || value === undefined) return;
      const knob = knobs.find((k) => k.id === s.knob);
      const label = knob?.options.find((o) => o.value === c.values[s.knob!])?.label ?? c.values[s.knob];
      const row = rows.get(s.knob) ?? { knob: `${knob?.label ?? s.knob} (now ${knob?.current ?? '?'})` };
      row[s.side] = { label, value };
      rows.set(s.knob, row);
    });
    if (rows.size === 0) return;
    void draw(chart, tornadoChart([...rows.values()], base, figureTitle(figure)));
    box.replaceChildren(table(['knob', 'one step down', 'one step up'], [...rows.values()].map((r) => [r.knob, r.low ? `${r.low.label}: ${sig3(r.low.value)}` : '—', r.high ? `${r.high.label}: ${sig3(r.high.value)}` : '—'])));
  }

  private drawCheapest(p: Progress, chart: HTMLElement, box: HTMLElement): void {
    const limits = { lossPct: Number(this.get('cheap.loss', '1')), inflationPct: Number(this.get('cheap.infl', '50')) };
    const objective = this.get('cheap.objective', 'memory') as Objective;
    const runs = p.candidates.map((candidate, i) => ({ candidate, figures: p.figures[i].filter(Boolean) })).filter((r) => r.figures.length > 0);
    if (runs.length === 0) return;
    const verdicts = cheapestVerdicts(runs, limits, objective);
    const best = verdicts.find((v) => v.feasible);
    const costText = (x: number) => (objective === 'memory' ? formatBytes(x) : `${sig3(x)}%`);
    void draw(chart, cheapestChart(
      verdicts.map((v) => ({ label: v.candidate.label, cost: v.cost?.mean ?? NaN, lossPct: v.lossPct?.mean ?? NaN, inflationPct: v.inflationPct?.mean ?? NaN, feasible: v.feasible, best: v === best })).filter((x) => Number.isFinite(x.cost)),
      limits, objective === 'memory' ? 'memory, max' : 'CPU, % of one CPU', objective === 'memory',
    ));
    const apply = (o: Overrides) => h('button', { onclick: () => this.app.change(o) }, 'apply');
    box.replaceChildren(
      h('p', {}, best ? `Cheapest within the limits: ${best.candidate.label} (${costText(best.cost!.mean)}).` : 'No setting tried meets both limits: widen the knobs or the limits.'),
      table(['setting', objective === 'memory' ? 'memory' : 'CPU', 'events lost', 'latency inflation', 'within limits', ''],
        verdicts.slice(0, 10).map((v) => [v.candidate.label, v.cost ? costText(v.cost.mean) : '…', v.lossPct ? `${sig3(v.lossPct.mean)}%` : '…', v.inflationPct ? `${sig3(v.inflationPct.mean)}%` : '…', v.feasible ? 'yes' : 'no', apply(v.candidate.overrides)])),
    );
  }
}
