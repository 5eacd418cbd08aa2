/**
 * Named, independent random streams from one master seed.
 *
 * Each stream is its own generator seeded from the string `bpfsim:<masterSeed>:<name>`, so a
 * stream's sequence depends only on (masterSeed, name): adding a stream, or drawing more or
 * less from another one, never reshuffles it. That is what keeps "change one part of the
 * model" from changing the rest, and what gives the baseline twin its common random numbers.
 *
 * Generator: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 47(4), 2021; 128-bit state, period 2^128 - 1, passes BigCrush), read
 * as 53-bit doubles in [0, 1) built from two 32-bit outputs. Its state is seeded through
 * seedrandom: the stream's seed string goes into seedrandom's xor4096 (which mixes the whole
 * string into a 4096-bit state and discards its first 512 outputs), whose first four 32-bit
 * outputs are the xoshiro state. Neighbouring names ("cpu0", "cpu1") thus start from
 * unrelated states.
 *
 * Why not seedrandom's generators themselves: they are closures, one function object per
 * generator, so a call site that sees several streams (every sampler does) cannot inline
 * them. Measured here (Node 20.20, compiled, 4 generators drawn in turn, 30 M draws, best of
 * 6, CPU time; uniform `.double()` / inverse-CDF exponential, M draws/s):
 *   seedrandom xor4096  59 / 41      xor128  75 / 50      xorwow  64 / 42
 *   xoshiro128** (a class)           210 / 65
 * double() hands out doubles from a block of 128 computed at once: a tiny method inlines at
 * every sampler call site within V8's inlining budget, where the two-step generator did not
 * (the M/M/1 Lindley loop went from 17 to 22.5 M customers/s with the block).
 */
import seedrandom from 'seedrandom';

/** A source of uniform doubles in [0, 1): what samplers draw from (a Stream, or a test double). */
export interface UniformSource {
  double(): number;
}

/** The seed string of stream `name` under `masterSeed` (exposed for tests and debugging). */
export function streamSeed(masterSeed: number, name: string): string {
  return `bpfsim:${masterSeed}:${name}`;
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;
/** Doubles computed per refill. */
const BLOCK = 128;

/** xoshiro128**: four 32-bit state words, never all zero. */
export class Xoshiro128 implements UniformSource {
  private declare s0: number;
  private declare s1: number;
  private declare s2: number;
  private declare s3: number;
  private readonly block = new Float64Array(BLOCK);
  private pos = BLOCK;

  constructor(s0: number, s1: number, s2: number, s3: number) {
    if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('xoshiro128** state must not be all zero');
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
  }

  /** The generator of a seed string: its state is seedrandom xor4096's first four outputs. */
  static fromSeed(seed: string): Xoshiro128 {
    const init = seedrandom.xor4096(seed);
    let w = [init.int32(), init.int32(), init.int32(), init.int32()];
    // All zero has probability 2^-128; draw on rather than special-case a state.
    while ((w[0] | w[1] | w[2] | w[3]) === 0) w = [init.int32(), init.int32(), init.int32(), init.int32()];
    return new Xoshiro128(w[0], w[1], w[2], w[3]);
  }

  /**
   * The next raw 32-bit output, as an unsigned integer (for tests against the reference code).
   * double() reads ahead in blocks, so use one or the other on a generator, not both.
   */
  nextUint32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    const s2 = this.s2 ^ this.s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = this.s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result >>> 0;
  }

  /** A double in [0, 1) with 53 random bits: 27 from one output, 26 from the next. */
  double(): number {
    // Small on purpose, so that it inlines at every call site (the samplers' draws); the
    // generator itself runs in refill(), BLOCK doubles at a time.
    if (this.pos === BLOCK) this.refill();
    return this.block[this.pos++];
  }

  /** The next BLOCK doubles, in order; the state lives in locals for the loop. */
  private refill(): void {
    const block = this.block;
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let k = 0; k < BLOCK; k++) {
      // Two xoshiro128** steps (see nextUint32), unrolled.
      let m = Math.imul(s1, 5);
      const hi = Math.imul((m << 7) | (m >>> 25), 9) >>> 5;
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      m = Math.imul(s1, 5);
      const lo = Math.imul((m << 7) | (m >>> 25), 9) >>> 6;
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      block[k] = (hi * TWO_POW_26 + lo) / TWO_POW_53;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    this.pos = 0;
  }
}

export class Streams {
  constructor(readonly masterSeed: number) {
    if (!Number.isSafeInteger(masterSeed) || masterSeed < 0) {
      throw new RangeError(`master seed must be an integer >= 0, got ${masterSeed}`);
    }
  }

  /**
   * The stream called `name`, as a *fresh* generator positioned at its start: calling `get`
   * twice with the same name gives two generators that replay the same sequence
   * independently (the baseline twin relies on this to replay arrivals and service draws).
   * Callers that want one shared sequence must keep the returned generator.
   */
  get(name: string): Xoshiro128 {
    return Xoshiro128.fromSeed(streamSeed(this.masterSeed, name));
  }
}
