/**
 * The explore page: the model's knobs on the left, views of the last run on the right. Every
 * change re-runs the model in a worker (debounced); replications follow in the background and
 * narrow the confidence intervals. The state (the overrides and the view's settings) lives in
 * the URL fragment, so a link reproduces the page; it exports as a model file, as the equivalent
 * `bpfsim run` command, and the last Result downloads as JSON (the bytes `bpfsim run --json` prints).
 */
import { parseModelText } from '../../model/load-core.js';
import { formatProblem, ModelError } from '../../model/errors.js';
import { replicationSeed } from '../../whatif/seeds.js';
import { knobsFor, setKnob, type Knob } from '../knobs.js';
import { applyOverrides, assignments, cliCommand, fromQuery, modelYaml, toQuery, withOverride, withoutOverride, type Overrides } from '../overrides-state.js';
import type { RunResponse } from '../protocol.js';
import { byId, debounce, download, h } from './dom.js';
import { Cancelled, SimPool } from './pool.js';
import { CSS } from './style.js';
import { renderView, VIEWS, type ViewId } from './views.js';
import { Studies } from './studies-ui.js';
import type { PageContext, RunState } from './context.js';
import type { Result } from '../../result.js';

interface PageData {
  text: string;
  file: string;
  arg?: string;
  name: string;
  set: string[];
}

/** Replications by default: enough for a first confidence interval, few enough for 2 cores. */
const DEFAULT_REPS = 5;
const MAX_REPS = 30;
const DEBOUNCE_MS = 200;

export class App implements PageContext {
  readonly data: PageData;
  readonly base: Record<string, unknown>;
  readonly pool: SimPool;
  overrides: Overrides = [];
  settings: Record<string, string> = {};
  run?: RunState;
  /** Increases with every change of the model: stale answers are dropped. */
  generation = 0;
  private completed = 0;
  private readonly scheduleRun = debounce(() => void this.runMain(), DEBOUNCE_MS);
  readonly studies: Studies;

  constructor() {
    this.data = JSON.parse(byId('bpfsim-model').textContent ?? '{}') as PageData;
    this.base = parseModelText(this.data.text, this.data.file);
    const workerUrl = URL.createObjectURL(new Blob([byId('bpfsim-worker').textContent ?? ''], { type: 'text/javascript' }));
    const cores = navigator.hardwareConcurrency || 2;
    this.pool = new SimPool(() => new Worker(workerUrl), Math.max(1, Math.min(4, cores - 1)));
    const fromUrl = fromQuery(location.hash.replace(/^#/, ''));
    if (fromUrl.overrides.length > 0 || Object.keys(fromUrl.settings).length > 0) {
      this.overrides = fromUrl.overrides;
      this.settings = fromUrl.settings;
    } else {
      for (const a of this.data.set) {
        const eq = a.indexOf('=');
        if (eq > 0) this.overrides = withOverride(this.overrides, a.slice(0, eq).trim(), a.slice(eq + 1));
      }
    }
    this.studies = new Studies(this);
  }

  /** The model as it runs now, and problems of overrides that do not apply. */
  current(): { model: Record<string, unknown>; problems: string[] } {
    return applyOverrides(this.base, this.overrides);
  }

  get reps(): number {
    const n = Number(this.settings.reps ?? DEFAULT_REPS);
    return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_REPS) : DEFAULT_REPS;
  }

  get view(): ViewId {
    const v = this.settings.view as ViewId;
    return VIEWS.some((x) => x.id === v) ? v : 'overview';
  }

  setting(key: string, value: string): void {
    this.settings = { ...this.settings, [key]: value };
    this.saveUrl();
  }

  saveUrl(): void {
    const q = toQuery(this.overrides, this.settings);
    try {
      history.replaceState(null, '', `#${q}`);
    } catch {
      location.replace(`#${q}`);
    }
  }

  /** A new model: URL, controls, then a debounced run. */
  change(overrides: Overrides, opts: { rebuild: boolean } = { rebuild: true }): void {
    this.overrides = overrides;
    this.generation++;
    this.saveUrl();
    this.exportsPanel();
    if (opts.rebuild) this.controls();
    setStatus('running', 'waiting to run ...');
    this.scheduleRun();
  }

  async runMain(): Promise<void> {
    const gen = ++this.generation;
    this.pool.cancel(['main', 'reps', 'study']);
    setStatus('running', 'running ...');
    const t0 = performance.now();
    const set = assignments(this.overrides);
    let res: RunResponse;
    try {
      res = await this.pool.run({ text: this.data.text, file: this.data.file, set, full: true }, 'main', 0);
    } catch (e) {
      if (e instanceof Cancelled) return;
      throw e;
    }
    if (gen !== this.generation) return;
    const pageMs = performance.now() - t0;
    if (!res.ok) {
      this.run = undefined;
      showProblems(res.problems);
      setStatus('error', res.internal ? 'internal error' : 'the model has problems (left)');
      document.body.dataset.state = 'error';
      return;
    }
    showProblems([]);
    const result = JSON.parse(res.json!) as Result;
    this.run = { json: res.json!, result, reps: [res.figures], seed: result.meta.seed };
    this.completed++;
    document.body.dataset.runs = String(this.completed);
    document.body.dataset.set = set.join('\n');
    document.body.dataset.lastRunMs = pageMs.toFixed(1);
    document.body.dataset.lastSimMs = res.ms.toFixed(1);
    document.body.dataset.state = 'done';
    this.statusLine(pageMs, res.ms);
    this.renderViews();
    void this.replicate(gen, pageMs, res.ms);
    this.studies.stale();
  }

  /** Replications 1..n-1 in the background; each narrows the intervals of the views. */
  private async replicate(gen: number, pageMs: number, simMs: number): Promise<void> {
    const run = this.run!;
    const pending = [];
    for (let r = 1; r < this.reps; r++) {
      pending.push(
        this.pool
          .run({ text: this.data.text, file: this.data.file, set: assignments(this.overrides), seed: replicationSeed(run.seed, r), full: false }, 'reps', 1)
          .then((res) => {
            if (gen !== this.generation || !res.ok) return;
            run.reps[r] = res.figures;
            this.statusLine(pageMs, simMs);
            this.renderViews(['overview']);
          }, ignoreCancelled),
      );
    }
    await Promise.all(pending);
  }

  private statusLine(pageMs: number, simMs: number): void {
    const done = this.run ? this.run.reps.filter(Boolean).length : 0;
    const reps = this.reps > 1 ? ` · ${done} of ${this.reps} replications` : '';
    setStatus(done < this.reps ? 'running' : 'done', `run ${this.completed}: ${fmtMs(pageMs)} in the page (simulation ${fmtMs(simMs)})${reps}`);
  }

  renderViews(only?: ViewId[]): void {
    for (const v of VIEWS) {
      const panel = byId(`view-${v.id}`);
      panel.hidden = v.id !== this.view;
      if (only && !only.includes(v.id)) continue;
      if (v.id === this.view) renderView(this, v.id, panel);
      else panel.dataset.dirty = '1';
    }
  }

  showView(id: ViewId): void {
    this.setting('view', id);
    for (const b of document.querySelectorAll<HTMLButtonElement>('nav.tabs button')) b.setAttribute('aria-selected', String(b.dataset.view === id));
    const panel = byId(`view-${id}`);
    for (const v of VIEWS) byId(`view-${v.id}`).hidden = v.id !== id;
    if (panel.dataset.dirty === '1' || !panel.hasChildNodes()) {
      panel.dataset.dirty = '';
      renderView(this, id, panel);
    }
  }

  // ---- controls ---------------------------------------------------------------------------

  controls(): void {
    const { model, problems } = this.current();
    const knobs = knobsFor(model);
    const changed = new Set(this.overrides.map(([p]) => p));
    const box = byId('knobs');
    // Keyboard users keep their place: the control they were on has focus again after the rebuild.
    const focused = document.activeElement instanceof HTMLElement && box.contains(document.activeElement) ? document.activeElement.id : '';
    box.replaceChildren(...knobs.map((k) => this.knobControl(model, k, changed)));
    if (focused) document.getElementById(focused)?.focus();
    this.overridesPanel(problems);
  }

  private knobControl(model: Record<string, unknown>, k: Knob, changed: Set<string>): HTMLElement {
    const id = `knob-${k.id}`;
    const out = h('output', { for: id }, k.current ?? k.shown);
    const isChanged = [...changed].some((p) => p === k.path || p.startsWith(`${k.path}.`) || (k.id === 'burst' && p === 'traffic.burst'));
    const commit = (value: string, rebuild: boolean) => {
      out.textContent = k.options.find((o) => o.value === value)?.label ?? value;
      this.change(setKnob(model, this.overrides, k, value), { rebuild });
    };
    let control: HTMLElement;
    if (k.numeric) {
      const at = k.options.findIndex((o) => o.value === k.current);
      control = h('input', {
        type: 'range', id, min: 0, max: k.options.length - 1, step: 1, value: at < 0 ? 0 : at, disabled: !k.active,
        'aria-label': k.label, 'data-values': k.options.map((o) => o.value).join(','),
        oninput: (e) => commit(k.options[Number((e.target as HTMLInputElement).value)].value, false),
        onchange: (e) => commit(k.options[Number((e.target as HTMLInputElement).value)].value, true),
      });
    } else {
      control = h(
        'select',
        { id, disabled: !k.active, 'aria-label': k.label, onchange: (e) => commit((e.target as HTMLSelectElement).value, true) },
        ...(k.current === undefined ? [h('option', { value: '', selected: true, disabled: true }, k.shown)] : []),
        ...k.options.map((o) => h('option', { value: o.value, selected: o.value === k.current }, o.label)),
      );
    }
    return h(
      'div',
      { class: `knob${k.active ? '' : ' inactive'}${isChanged ? ' changed' : ''}`, 'data-knob': k.id, title: k.path },
      h('label', { for: id }, k.label),
      out,
      control,
      k.note ? h('div', { class: 'note' }, k.note) : undefined,
    );
  }

  private overridesPanel(problems: string[]): void {
    const list = byId('overrides');
    list.replaceChildren(
      ...this.overrides.map(([p, v]) =>
        h('li', {}, h('button', { title: `remove ${p}`, 'aria-label': `remove ${p}`, onclick: () => this.change(withoutOverride(this.overrides, p)) }, '×'), `${p}=${v}`),
      ),
    );
    if (this.overrides.length === 0) list.append(h('li', { class: 'note' }, 'none: the model as written'));
    byId('override-problems').textContent = problems.join('\n');
  }

  exportsPanel(): void {
    byId<HTMLTextAreaElement>('cli').value = cliCommand(this.data.arg, this.overrides, ['--json']);
  }

  setField(pathText: string, value: string): void {
    const path = pathText.trim();
    if (path === '' || value.trim() === '') return;
    this.change(withOverride(this.overrides, path, value.trim()));
  }

  modelFile(): string {
    const { model } = this.current();
    const from = this.data.arg ?? 'the built-in default model';
    return modelYaml(model, `${from} as explored in bpfsim explore: ${assignments(this.overrides).join(' ') || 'no overrides'}`);
  }
}

function ignoreCancelled(e: unknown): void {
  if (!(e instanceof Cancelled)) throw e;
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function setStatus(kind: 'running' | 'done' | 'error', text: string): void {
  const el = byId('status');
  el.className = kind;
  el.textContent = text;
}

function showProblems(lines: string[]): void {
  byId('problems').textContent = lines.join('\n');
}

function layout(app: App): void {
  const style = document.createElement('style');
  style.textContent = CSS;
  document.head.append(style);
  const fieldPath = h('input', { type: 'text', id: 'field-path', placeholder: 'field path, e.g. datapath.rxQueue', 'aria-label': 'field path' });
  const fieldValue = h('input', { type: 'text', id: 'field-value', placeholder: 'value', 'aria-label': 'value', style: 'max-width: 90px' });
  const setFieldNow = () => app.setField(fieldPath.value, fieldValue.value);
  const reps = h('input', {
    type: 'number', id: 'reps', min: 1, max: MAX_REPS, value: app.reps, style: 'width: 60px', 'aria-label': 'replications',
    onchange: (e) => {
      app.setting('reps', (e.target as HTMLInputElement).value);
      void app.runMain();
    },
  });
  document.body.append(
    h('header', {}, h('h1', {}, 'bpfsim explore'), h('span', { class: 'model' }, `${app.data.name} (${app.data.file})`), h('span', { id: 'status' }, 'starting ...')),
    h(
      'div',
      { class: 'layout' },
      h(
        'aside',
        {},
        h('h2', {}, 'Knobs'),
        h('div', { id: 'knobs' }),
        h('h2', {}, 'Any field'),
        h('form', { class: 'row', onsubmit: (e) => (e.preventDefault(), setFieldNow()) }, fieldPath, fieldValue, h('button', { type: 'submit' }, 'set')),
        h('div', { class: 'note' }, 'as --set takes it: consumer.pollTimeout = 10ms, costs.wakeup.perf_buffer.producer = 1us'),
        h('h2', {}, 'Overrides of the model'),
        h('ul', { class: 'overrides', id: 'overrides' }),
        h('div', { class: 'problems', id: 'override-problems' }),
        h('div', { class: 'problems', id: 'problems' }),
        h('h2', {}, 'Replications'),
        h('div', { class: 'row' }, reps, h('span', { class: 'note' }, 'seeds S, S+1, ...: confidence intervals in the views')),
        h('h2', {}, 'Export'),
        h(
          'div',
          { class: 'row' },
          h('button', { id: 'download-json', onclick: () => app.run && download('result.json', app.run.json, 'application/json') }, 'Result JSON'),
          h('button', { id: 'download-model', onclick: () => download('model.yaml', app.modelFile(), 'application/yaml') }, 'model YAML'),
          h('button', { id: 'copy-link', onclick: () => void navigator.clipboard?.writeText(location.href) }, 'copy link'),
        ),
        h('div', { class: 'note' }, 'the same run on the command line:'),
        h('textarea', { class: 'cli', id: 'cli', rows: 3, readonly: true, 'aria-label': 'equivalent command' }),
      ),
      h(
        'main',
        {},
        h('nav', { class: 'tabs', role: 'tablist' }, ...VIEWS.map((v) => h('button', { role: 'tab', 'data-view': v.id, 'aria-selected': String(v.id === app.view), onclick: () => app.showView(v.id) }, v.label))),
        ...VIEWS.map((v) => h('section', { id: `view-${v.id}`, role: 'tabpanel', hidden: v.id !== app.view })),
      ),
    ),
  );
}

function start(): void {
  let app: App;
  try {
    app = new App();
  } catch (e) {
    document.body.textContent = e instanceof ModelError ? e.problems.map(formatProblem).join('\n') : `bpfsim explore: ${String(e)}`;
    return;
  }
  layout(app);
  app.controls();
  app.exportsPanel();
  app.saveUrl();
  void app.runMain();
  addEventListener('hashchange', () => {
    const q = fromQuery(location.hash.replace(/^#/, ''));
    if (toQuery(q.overrides, q.settings) === toQuery(app.overrides, app.settings)) return;
    app.settings = q.settings;
    app.change(q.overrides);
  });
}

start();
