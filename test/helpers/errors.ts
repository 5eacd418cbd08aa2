/** The message of the ModelError that `f` throws (fails the test if it throws nothing or something else). */
import { ModelError } from '../../src/model/errors.js';

export function modelErrorMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ModelError) return e.message;
    throw e;
  }
  throw new Error('expected a ModelError');
}
