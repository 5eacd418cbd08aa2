/** The static analysis: the seed's formulas on a Scenario (CPU, memory, log) and its impact grade. */
export { estimateStatic, type StaticResult } from './estimate.js';
export { memoryBreakdown, mapMemory, bufferMemory, type MapMemory } from './memory.js';
export { rate } from './rating.js';
