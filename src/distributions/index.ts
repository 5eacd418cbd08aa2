/** The distributions: contracts, parsing and formatting, samplers, moments, CDFs. */
export type { Dist, Sampler, UniformSource } from './types.js';
export { parseDist, formatDist, DIST_EXPECTED, closest } from './parse.js';
export { makeSampler, standardNormal } from './sampler.js';
export { distMean, distCv, distMoments, distProblem, scaleDist, sumMean, truncatedNormalMoments } from './moments.js';
export { distCdf } from './cdf.js';
export { erfc, normalCdf, normalPdf, normalQuantile, lnGamma, gammaP } from './special.js';
