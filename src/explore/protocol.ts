/**
 * Messages between the explore page and its simulation worker. Plain data both ways: the page
 * sends a model (text + overrides + seed), the worker answers with the Result JSON (the same
 * bytes `bpfsim run --json` prints) and/or the run's figures, or the model's problems.
 */
import type { Figures } from '../whatif/figures.js';

export interface RunRequest {
  id: number;
  /** Model text (YAML or JSON). */
  text: string;
  /** Labels problem lines (the model file as the user knows it). */
  file: string;
  /** `path=value` assignments, as `--set` takes them, in order. */
  set: string[];
  /** Master seed, overriding the model's (replications); as `--seed`. */
  seed?: number;
  /** The Result JSON is wanted (the page's main run); otherwise only the figures. */
  full: boolean;
}

export type RunResponse =
  | { id: number; ok: true; json?: string; figures: Figures; ms: number }
  | { id: number; ok: false; problems: string[]; internal: boolean };
