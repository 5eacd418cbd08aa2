#!/usr/bin/env node
// The bpfsim command: runs the compiled CLI (npm ci builds dist/ through the prepare script).
import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    console.error('bpfsim: not built yet; run `npm run build` (npm ci does it for you)');
    process.exit(1);
  }
  console.error(`bpfsim: internal error: ${err && err.message ? err.message : err}`);
  process.exit(1);
});
