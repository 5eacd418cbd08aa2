/** What the views and studies see of the page (the App in page.ts), so they need not import it. */
import type { Result } from '../../result.js';
import type { Figures } from '../../whatif/figures.js';
import type { Overrides } from '../overrides-state.js';
import type { SimPool } from './pool.js';

/** The page's last completed main run, and the figures of its replications (index = replication). */
export interface RunState {
  json: string;
  result: Result;
  reps: Figures[];
  seed: number;
}

export type ViewId = 'overview' | 'buffers' | 'latency' | 'sweep' | 'sensitivity' | 'cheapest';
export type StudyId = 'sweep' | 'sensitivity' | 'cheapest';

export interface PageContext {
  readonly data: { text: string; file: string };
  readonly base: Record<string, unknown>;
  readonly pool: SimPool;
  readonly overrides: Overrides;
  settings: Record<string, string>;
  readonly run?: RunState;
  /** Increases with every change of the model. */
  readonly generation: number;
  readonly view: ViewId;
  readonly studies: { render(id: StudyId, panel: HTMLElement): void };
  current(): { model: Record<string, unknown>; problems: string[] };
  setting(key: string, value: string): void;
  change(overrides: Overrides): void;
}
