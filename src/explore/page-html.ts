/**
 * The explore page as one self-contained HTML file: the page script and the worker script
 * (built by scripts/build-explore.mjs) inlined, the model embedded as data. The same bytes are
 * served by `bpfsim explore` and written by `--html`; it needs no network (a CSP says so).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { escapeHtml } from '../report/html-page.js';

/** What the page starts from. */
export interface PageModel {
  /** The model text as in its file. */
  text: string;
  /** Labels problem lines in the page, as the CLI would. */
  file: string;
  /** The MODEL argument of the equivalent `bpfsim run` command (undefined: the default model). */
  arg?: string;
  /** The model's name, for the title. */
  name: string;
  /** Overrides to start with (`--set path=value`). */
  set: string[];
}

/** dist/explore-web, from src/explore (tests) and dist/explore (compiled) alike. */
const BUNDLE_DIR = fileURLToPath(new URL('../../dist/explore-web/', import.meta.url));

/** A bundle is missing: the build did not run (npm ci runs it). */
export class BundleMissingError extends Error {}

function bundle(name: 'page' | 'worker'): string {
  try {
    return readFileSync(`${BUNDLE_DIR}${name}.js`, 'utf8');
  } catch {
    throw new BundleMissingError(`the explore page is not built (${BUNDLE_DIR}${name}.js); run \`npm run build\``);
  }
}

/** Script text safe inside <script>: no end tag, no comment opener (both only occur in strings). */
function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON inside <script type="application/json">: no "<" at all. */
function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * Scripts inline only; the worker starts from a blob: URL; charts are SVG; no request leaves the
 * page (connect-src 'none'). vega runs its expressions through an interpreter: no eval.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'unsafe-inline' blob:; worker-src blob:; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'none'; base-uri 'none'; form-action 'none'";

export function explorePage(model: PageModel): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(PAGE_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bpfsim explore: ${escapeHtml(model.name)}</title>
</head>
<body>
<noscript>bpfsim explore runs the simulation in the page: it needs JavaScript.</noscript>
<script type="application/json" id="bpfsim-model">${jsonText(model)}</script>
<script type="text/plain" id="bpfsim-worker">${scriptText(bundle('worker'))}</script>
<script>${scriptText(bundle('page'))}</script>
</body>
</html>
`;
}
