/**
 * Analytic CDFs, P(X <= x), of every Dist kind: the reference the samplers are tested against,
 * and a way to ask "how often does this cost exceed x" without sampling.
 */
import type { Dist } from './types.js';
import { gammaP, normalCdf } from '../math/special.js';
import * as fd from '../math/fdlibm.js';

export function distCdf(d: Dist, x: number): number {
  if (Number.isNaN(x)) return NaN;
  switch (d.kind) {
    case 'const':
      return x >= d.value ? 1 : 0;
    case 'uniform':
      if (x >= d.max) return 1;
      if (x < d.min) return 0;
      return (x - d.min) / (d.max - d.min);
    case 'exponential':
      return x <= 0 ? 0 : -fd.expm1(-x / d.mean);
    case 'normal': {
      if (x < 0) return 0;
      if (d.sd === 0) return x >= d.mean ? 1 : 0;
      // (Phi((x - mu)/sd) - Phi(-mu/sd)) / (1 - Phi(-mu/sd)), written with upper tails for precision.
      const keptAbove0 = normalCdf(d.mean / d.sd);
      const above = normalCdf((d.mean - x) / d.sd);
      return Math.max(0, Math.min(1, (keptAbove0 - above) / keptAbove0));
    }
    case 'lognormal': {
      if (d.cv === 0) return x >= d.mean ? 1 : 0;
      if (x <= 0) return 0;
      const s2 = fd.log1p(d.cv * d.cv);
      const mu = fd.log(d.mean) - s2 / 2;
      return normalCdf((fd.log(x) - mu) / Math.sqrt(s2));
    }
    case 'gamma': {
      if (d.cv === 0) return x >= d.mean ? 1 : 0;
      const shape = 1 / (d.cv * d.cv);
      return gammaP(shape, x / (d.mean / shape));
    }
    case 'empirical': {
      let total = 0;
      let below = 0;
      for (let i = 0; i < d.values.length; i++) {
        const w = d.weights ? d.weights[i] : 1;
        total += w;
        if (d.values[i] <= x) below += w;
      }
      return below / total;
    }
  }
}
