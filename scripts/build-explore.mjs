/**
 * Builds the explore page's two browser bundles with esbuild (after tsc: it reads the built-in
 * catalogs through dist/): the simulation worker (the same model, engine, datapath and metrics
 * code as the CLI, with the catalogs embedded as data) and the page (controls, views, vega-embed).
 * Both are self-contained IIFE scripts that the page inlines; nothing is fetched at run time.
 *
 *   node scripts/build-explore.mjs        (run by `npm run build`)
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const OUT_DIR = `${ROOT}dist/explore-web`;

/** The esbuild options of both bundles; `write: false` keeps them in memory (the bundle test). */
export async function exploreBuildOptions() {
  const { loadCatalog, BUILTIN_CATALOGS } = await import(`${ROOT}dist/model/catalog.js`);
  const catalogs = Object.fromEntries(BUILTIN_CATALOGS.map((name) => [name, loadCatalog(name)]));
  return {
    absWorkingDir: ROOT,
    entryPoints: { worker: 'src/explore/web/worker.ts', page: 'src/explore/web/page.ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    outdir: OUT_DIR,
    metafile: true,
    logLevel: 'warning',
    define: { __BPFSIM_CATALOGS__: JSON.stringify(catalogs) },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await build(await exploreBuildOptions());
  const sizes = Object.entries(result.metafile.outputs).map(([f, o]) => `${f.replace(/^.*\//, '')} ${(o.bytes / 1024).toFixed(0)} KiB`);
  process.stderr.write(`explore bundles: ${sizes.join(', ')}\n`);
}
