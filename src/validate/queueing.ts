/**
 * The queueing-theory results the simulator is validated against (reference/ebpf-datapath-facts.md
 * §7: Kleinrock; Gross, Shortle, Thompson & Harris). Pure functions; rates and times in any one
 * consistent unit (the cases use ns and packets/ns).
 */

/** M/M/1 with arrival rate lambda and service rate mu (lambda < mu). */
export function mm1(lambda: number, mu: number) {
  const rho = lambda / mu;
  if (!(rho > 0 && rho < 1)) throw new RangeError(`mm1: need 0 < lambda < mu, got lambda=${lambda}, mu=${mu}`);
  return {
    rho,
    /** Mean sojourn (wait + service) 1/(mu - lambda). */
    sojourn: 1 / (mu - lambda),
    /** Mean number in the system rho/(1 - rho). */
    inSystem: rho / (1 - rho),
    /** Probability that an arrival waits (PASTA: P(N > 0) = rho). */
    pWait: rho,
    /** q-quantile of the sojourn, which is exponential with rate mu - lambda: -ln(1 - q)/(mu - lambda). */
    sojournQuantile: (q: number) => -Math.log1p(-q) / (mu - lambda),
  };
}

/**
 * M/G/1 mean sojourn by Pollaczek-Khinchine: E[S] + rho (1 + cs^2) E[S] / (2 (1 - rho)),
 * with cs the service time's coefficient of variation (0 for M/D/1, 1 for M/M/1).
 */
export function pkSojourn(lambda: number, meanService: number, cv: number): number {
  const rho = lambda * meanService;
  if (!(rho > 0 && rho < 1)) throw new RangeError(`pkSojourn: need 0 < rho < 1, got ${rho}`);
  return meanService + (rho * (1 + cv * cv) * meanService) / (2 * (1 - rho));
}

/** M/M/1/K (K counts the one in service): P(block) = p_K = (1 - rho) rho^K / (1 - rho^(K+1)). */
export function mm1kBlocking(rho: number, K: number): number {
  checkK(K);
  if (rho === 1) return 1 / (K + 1);
  return ((1 - rho) * rho ** K) / (1 - rho ** (K + 1));
}

/** M/M/1/K mean number in the system: rho/(1 - rho) - (K + 1) rho^(K+1) / (1 - rho^(K+1)). */
export function mm1kInSystem(rho: number, K: number): number {
  checkK(K);
  if (rho === 1) return K / 2;
  return rho / (1 - rho) - ((K + 1) * rho ** (K + 1)) / (1 - rho ** (K + 1));
}

/**
 * M/G/1/K blocking probability, exact, from the embedded Markov chain at departures (Gross et
 * al.): a_k = P(k arrivals during one service); pi_0 = 1, pi_{j+1} = (pi_j - pi_0 a_j -
 * sum_{i=1..j} pi_i a_{j-i+1}) / a_0 for j = 0..K-2, normalised over 0..K-1; then
 * P(block) = 1 - 1/(pi_0 + rho). Valid for any rho, overload included.
 */
export function mg1kBlocking(arrivalsDuringService: (k: number) => number, rho: number, K: number): number {
  checkK(K);
  const a = Array.from({ length: K }, (_, k) => arrivalsDuringService(k));
  const pi = new Array<number>(K).fill(0);
  pi[0] = 1;
  for (let j = 0; j <= K - 2; j++) {
    let s = pi[j] - pi[0] * a[j];
    for (let i = 1; i <= j; i++) s -= pi[i] * a[j - i + 1];
    pi[j + 1] = s / a[0];
  }
  const total = pi.reduce((x, y) => x + y, 0);
  const pi0 = pi[0] / total;
  return 1 - 1 / (pi0 + rho);
}

/** M/D/1/K: arrivals during a fixed service D are Poisson with mean rho = lambda D. */
export function md1kBlocking(rho: number, K: number): number {
  // e^-rho rho^k / k!, built up term by term (no factorial overflow).
  const poisson = (k: number) => {
    let p = Math.exp(-rho);
    for (let i = 1; i <= k; i++) p *= rho / i;
    return p;
  };
  return mg1kBlocking(poisson, rho, K);
}

/** Long-run mean rate of a two-state MMPP (on/off): sojourn-weighted mean of the two rates. */
export function mmppMeanRate(b: { onRate: number; offRate: number; onMean: number; offMean: number }): number {
  return (b.onRate * b.onMean + b.offRate * b.offMean) / (b.onMean + b.offMean);
}

/**
 * Time per record when a notification costing cNotify is paid once every n records that
 * cost cRec each (reference §3.3): t(n) = cRec + cNotify / n; throughput is 1/t(n).
 */
export function wakeupLaw(cRec: number, cNotify: number, n: number): number {
  return cRec + cNotify / n;
}

/**
 * Ordinary least squares of y = a + b x. Returns the coefficients and, because both are linear
 * in y (a = sum wa_i y_i, b = sum wb_i y_i), the weights, so that a bound on each y_i's error
 * propagates exactly to a bound on a and b.
 */
export function fitLine(x: number[], y: number[]) {
  const n = x.length;
  if (n < 2 || y.length !== n) throw new RangeError(`fitLine: need two or more (x, y) pairs, got ${n} and ${y.length}`);
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
  if (!(sxx > 0)) throw new RangeError('fitLine: the x values must not all be equal');
  const wb = x.map((v) => (v - mx) / sxx);
  const wa = wb.map((w) => 1 / n - mx * w);
  const dot = (w: number[]) => w.reduce((s, wi, i) => s + wi * y[i], 0);
  return { a: dot(wa), b: dot(wb), wa, wb };
}

function checkK(K: number): void {
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`K must be an integer >= 1, got ${K}`);
}
