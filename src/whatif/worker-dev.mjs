// Worker entry when bpfsim runs from its TypeScript sources (the tests): Node 20 cannot load
// .ts in a worker thread by itself, so register tsx (a devDependency) first. Compiled builds
// load dist/whatif/worker.js directly and never use this file.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
