/**
 * The explore page's simulation worker: runs models off the page's thread, so controls and
 * charts stay responsive. The built-in catalogs are embedded in this bundle as data at build time.
 */
import type { Catalog } from '../../model/catalog-types.js';
import type { RunRequest, RunResponse } from '../protocol.js';
import { embeddedEnv, runModel } from '../run-model.js';

declare const __BPFSIM_CATALOGS__: Record<string, Catalog>;

const env = embeddedEnv(__BPFSIM_CATALOGS__);
const scope = self as unknown as { onmessage: ((e: MessageEvent<RunRequest>) => void) | null; postMessage(m: RunResponse): void };

scope.onmessage = (e) => scope.postMessage(runModel(env, e.data, () => performance.now()));
