/**
 * The layering of src/, pinned: every module sits in a layer (its folder, or the file itself
 * at the top of src/), and imports only from its own layer or from layers listed before it.
 * Layers on one line are peers and do not import each other. No import cycle, between files
 * either: a newcomer can read the code bottom-up.
 *
 * A new folder under src/ must be placed here. Type-only imports count: they are a dependency
 * of the code's meaning even where they vanish at run time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Lowest first. */
const LAYERS: readonly (readonly string[])[] = [
  // plain facts and data shapes: units, special functions, kernel record sizes, Result types
  ['version', 'result', 'units', 'math', 'records'],
  ['engine'], // event heap, seeded random streams
  ['distributions'],
  ['model'], // schema, loader, catalog -> Scenario
  ['metrics', 'analysis'], // statistics collectors; the static estimate
  ['datapath'], // the simulated kernel: traffic, CPUs, probes, rings, consumer
  ['simulation'], // one Scenario -> one Result (traced run, baseline twin, estimate)
  ['whatif', 'calibrate', 'hostimport'], // many runs: sweeps, sizing, compare, workers; real measurements; import from a live host
  ['report'], // tables, CSV, charts, HTML from Results
  ['validate', 'experiments', 'explore'], // explore: the interactive page (its web/ part is bundled for the browser)
  ['cli'], // argument parsing, progress, signals, exit codes
];

const SRC = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative specifiers of a module's static imports, re-exports and dynamic import()s. */
export function importSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) specs.push(m[1]);
  return specs.filter((s) => s.startsWith('.'));
}

interface Graph {
  files: string[];
  /** file (relative to src, '/'-separated) -> imported files */
  edges: Map<string, string[]>;
}

function importGraph(): Graph {
  const files = sourceFiles(SRC).map((f) => relative(SRC, f).split(sep).join('/'));
  const known = new Set(files);
  const edges = new Map<string, string[]>();
  for (const f of files) {
    const targets = importSpecifiers(readFileSync(join(SRC, f), 'utf8')).map((spec) => {
      const joined = normalize(join(dirname(f), spec)).split(sep).join('/');
      const ts = joined.replace(/\.js$/, '.ts');
      return known.has(ts) ? ts : joined;
    });
    edges.set(f, targets);
  }
  return { files, edges };
}

function layerOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.(ts|mts|mjs)$/, '');
}

function rankOf(layer: string): number {
  return LAYERS.findIndex((l) => l.includes(layer));
}

/** Strongly connected components of more than one file, or a file importing itself. */
function cycles(g: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.edges.get(v) ?? []) {
      if (!g.edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (g.edges.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const f of g.files) if (!index.has(f)) visit(f);
  return found;
}

describe('layering of src/', () => {
  const g = importGraph();

  it('reads the imports it checks (the parser sees every form of import)', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "import './side-effect.js';",
      "const e = await import('../e/e.js');",
      "import x from 'node:fs';",
      "// import { no } from './commented.js';",
      "import {\n  f,\n  type G,\n} from './multi-line.js';",
    ].join('\n');
    expect(importSpecifiers(text).sort()).toEqual(['../b/b.js', '../e/e.js', './a.js', './c.js', './d.js', './multi-line.js', './side-effect.js'].sort());
    expect(g.files.length).toBeGreaterThan(50);
    expect(g.edges.get('simulation/simulate.ts')).toContain('datapath/traced.ts');
  });

  it('places every module in a layer', () => {
    const unplaced = [...new Set(g.files.map(layerOf))].filter((l) => rankOf(l) < 0);
    expect(unplaced, 'add these folders of src/ to LAYERS in test/layers.test.ts').toEqual([]);
  });

  it('has every import go to the same layer or one below', () => {
    const wrong: string[] = [];
    for (const [from, targets] of g.edges) {
      const a = layerOf(from);
      for (const to of targets) {
        const b = layerOf(to);
        if (a === b) continue;
        if (rankOf(b) >= rankOf(a)) wrong.push(`${from} -> ${to} (${a} may not import ${b})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(cycles(g)).toEqual([]);
  });

  it('would catch a cycle (the detector is not vacuous)', () => {
    const files = ['a.ts', 'b.ts', 'c.ts', 'd.ts'];
    const edges = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(cycles({ files, edges })).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
