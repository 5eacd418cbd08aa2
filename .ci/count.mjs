// Prints vitest's JSON results as the plain closing line CI reads: "N passed, N failed".
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let r;
try {
  r = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  console.log('0 passed, 1 failed');
  console.error(`cannot read ${file}: ${e.message}`);
  process.exit(1);
}
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ''));
if (r.numFailedTestSuites > 0 && r.numFailedTests === 0) {
  console.error(`${r.numFailedTestSuites} test file(s) failed to run`);
  process.exit(1);
}
process.exit(r.numFailedTests > 0 ? 1 : 0);
