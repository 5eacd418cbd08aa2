/**
 * How the CLI ends on failure: a bad model or argument prints one line per problem and exits 2;
 * anything else is an internal fault: one line, exit 1 (the stack only with BPFSIM_DEBUG=1).
 */
import { ModelError, formatProblem } from '../model/errors.js';

/** A bad command-line argument: one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function exitCodeFor(err: unknown, write: (line: string) => void): number {
  if (err instanceof ModelError) {
    for (const p of err.problems) write(formatProblem(p));
    return 2;
  }
  if (err instanceof UsageError) {
    write(`bpfsim: ${err.message}`);
    return 2;
  }
  const e = err as Error;
  write(`bpfsim: internal error: ${e?.message ?? String(err)}`);
  if (process.env.BPFSIM_DEBUG && e?.stack) write(e.stack);
  return 1;
}
