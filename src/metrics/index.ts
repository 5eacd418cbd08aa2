/** Streaming statistics the simulation records into: fixed memory, no allocation per call. */
export { LogLinearHistogram, HISTOGRAM_OCTAVES, HISTOGRAM_RANGE_MAX } from './histogram.js';
export { TimeWeightedLevel, checkTimeOrder } from './level.js';
export { LevelSeries, type LevelSeriesData } from './series.js';
export { studentT, studentTUpperTail, regularizedBeta, lnGamma, meanCI, relHalfWidth, type MeanCI } from './ci.js';
export { StayArea } from './stay-area.js';
