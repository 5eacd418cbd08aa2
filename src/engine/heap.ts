/**
 * The future event list: a binary min-heap over typed arrays, keyed on (time, insertion
 * sequence) so that simultaneous events pop in the order they were scheduled (deterministic,
 * FIFO-stable, as SimPy and OMNeT++ do). Each event carries two int32 words of payload; the
 * heap knows nothing of what they mean. Nothing is allocated per event: the arrays grow by
 * doubling when full and are reused.
 */
export class EventHeap {
  private time: Float64Array;
  private seq: Float64Array;
  private a: Int32Array;
  private b: Int32Array;
  private n = 0;
  private nextSeq = 0;

  /** Time, first and second payload word of the event that the last pop() returned. */
  topTime = 0;
  topA = 0;
  topB = 0;

  constructor(capacity = 64) {
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event, Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? this.time[0] : Infinity;
  }

  push(t: number, a: number, b = 0): void {
    if (this.n === this.time.length) this.grow();
    const s = this.nextSeq++;
    // Sift up with a hole: move parents down until the new key fits.
    let i = this.n++;
    const time = this.time;
    const seq = this.seq;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const tp = time[p];
      if (tp < t || (tp === t && seq[p] < s)) break;
      time[i] = tp;
      seq[i] = seq[p];
      this.a[i] = this.a[p];
      this.b[i] = this.b[p];
      i = p;
    }
    time[i] = t;
    seq[i] = s;
    this.a[i] = a;
    this.b[i] = b;
  }

  /** Removes the earliest event; its fields are left in topTime/topA/topB. Heap must not be empty. */
  pop(): void {
    const time = this.time;
    const seq = this.seq;
    const a = this.a;
    const b = this.b;
    this.topTime = time[0];
    this.topA = a[0];
    this.topB = b[0];
    const last = --this.n;
    if (last === 0) return;
    const t = time[last];
    const s = seq[last];
    const la = a[last];
    const lb = b[last];
    // Sift the last element down from the root with a hole.
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      const r = c + 1;
      if (r < last && (time[r] < time[c] || (time[r] === time[c] && seq[r] < seq[c]))) c = r;
      const tc = time[c];
      if (t < tc || (t === tc && s < seq[c])) break;
      time[i] = tc;
      seq[i] = seq[c];
      a[i] = a[c];
      b[i] = b[c];
      i = c;
    }
    time[i] = t;
    seq[i] = s;
    a[i] = la;
    b[i] = lb;
  }

  clear(): void {
    this.n = 0;
    this.nextSeq = 0;
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const grow64 = (x: Float64Array) => {
      const y = new Float64Array(cap);
      y.set(x);
      return y;
    };
    const grow32 = (x: Int32Array) => {
      const y = new Int32Array(cap);
      y.set(x);
      return y;
    };
    this.time = grow64(this.time);
    this.seq = grow64(this.seq);
    this.a = grow32(this.a);
    this.b = grow32(this.b);
  }
}
