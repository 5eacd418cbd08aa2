/** Types of build-explore.mjs for the tests that build the bundles in memory. */
import type { BuildOptions } from 'esbuild';

export const OUT_DIR: string;
export function exploreBuildOptions(): Promise<BuildOptions & { metafile: true }>;
