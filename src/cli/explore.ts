/** `bpfsim explore [MODEL]`: the interactive what-if page, served on 127.0.0.1 or written as one file. */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { loadModel, DEFAULT_MODEL_PATH } from '../model/load.js';
import { BUILTIN_CATALOGS } from '../model/catalog.js';
import { ModelError } from '../model/errors.js';
import { readUserText } from '../model/user-file.js';
import { explorePage, type PageModel } from '../explore/page-html.js';
import { serveExplore } from '../explore/server.js';
import { durationText } from '../explore/knobs.js';
import { addModelOptions, loaderOptions, type ModelOptions } from './options.js';
import { UsageError } from './errors.js';
import { checkOutputPaths, writeOutputFile } from './output-paths.js';

interface ExploreOptions extends ModelOptions {
  port?: string;
  open: boolean;
  html?: string;
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new UsageError(`--port: expected a port number 0-65535 (0: any free port), got "${text}"`);
  return n;
}

/** The page's model: the file as written; what the page cannot do is said here, not in the page. */
export function pageModel(file: string | undefined, o: ModelOptions): PageModel {
  const loaded = loadModel(loaderOptions(file, o));
  const label = loaded.source;
  if (loaded.model.traffic.arrival === 'trace') {
    throw new ModelError([{ file: label, path: 'traffic.arrival', expected: 'arrivals the page can generate (poisson, constant, bursty, saturate)', found: '"trace"', hint: 'the page has no file system to read the trace from; use bpfsim run or sweep' }]);
  }
  const catalog = o.catalog ?? (typeof loaded.model.catalog === 'string' ? loaded.model.catalog : 'default');
  if (!(BUILTIN_CATALOGS as readonly string[]).includes(catalog)) {
    throw new ModelError([{ file: label, path: 'catalog', expected: `a built-in catalog (${BUILTIN_CATALOGS.join(', ')})`, found: JSON.stringify(catalog), hint: 'the page carries only the built-in catalogs; use bpfsim run or sweep with catalog files' }]);
  }
  // Read as the loader read it: a regular file of bounded size (loadModel has checked it).
  const text = readUserText(file ?? DEFAULT_MODEL_PATH);
  // --seed, --duration and --catalog become overrides the page shows (and its command repeats).
  const set = [
    ...o.set,
    ...(o.catalog !== undefined ? [`catalog=${o.catalog}`] : []),
    ...(o.seed !== undefined ? [`seed=${loaded.model.seed}`] : []),
    ...(o.duration !== undefined ? [`traffic.duration=${durationText(loaded.model.traffic.duration)}`] : []),
  ];
  return { text, file: label, ...(file !== undefined ? { arg: file } : {}), name: loaded.model.name, set };
}

/** Opens the URL in the desktop's browser, if there is one; never fails the command. */
function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`bpfsim explore: open ${url} in a browser\n`));
    child.unref();
  } catch {
    process.stderr.write(`bpfsim explore: open ${url} in a browser\n`);
  }
}

export function registerExplore(program: Command): void {
  addModelOptions(
    program
      .command('explore')
      .description('an interactive what-if page: controls, live charts, sweeps, sensitivity, cheapest setting (runs in the browser)')
      .argument('[model]', 'model file (YAML or JSON); the built-in default model when none is given'),
  )
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port) [8737, or any free port when taken]')
    .option('--no-open', 'do not open a browser')
    .option('--html <file>', 'write the page as one self-contained HTML file (works offline) instead of serving it')
    .action(async (model: string | undefined, o: ExploreOptions) => {
      const port = o.port !== undefined ? parsePort(o.port) : undefined;
      checkOutputPaths('explore', { html: o.html });
      const html = explorePage(pageModel(model, o));
      if (o.html !== undefined) {
        writeOutputFile(o.html, html);
        process.stdout.write(`bpfsim explore: wrote ${o.html}\n`);
        return;
      }
      const { server, url } = await serveExplore(html, port).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE' || e.code === 'EACCES') throw new UsageError(`--port ${port}: ${e.code === 'EADDRINUSE' ? 'already in use' : 'not allowed'} (--port 0: any free port)`);
        throw e;
      });
      process.stdout.write(`bpfsim explore: ${url}\n`);
      process.stderr.write('bpfsim explore: serving on 127.0.0.1 only; Ctrl-C stops\n');
      if (o.open) openBrowser(url);
      await new Promise<void>((resolve) => {
        const stop = () => {
          server.close(() => resolve());
          // Keep-alive connections would hold close() open.
          server.closeAllConnections();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
