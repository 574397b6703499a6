/**
 * Seeded pseudo-random numbers (mulberry32 over a splitmix32-mixed seed). Never Math.random: a scenario is a pure
 * function of its seed.
 * @example const rng = new Prng(42, 1); rng.int(1, 6); rng.pick(['a', 'b']); rng.fraction(1000n, 0.25) // 250n
 */
export class Prng {
  private state: number;

  /** `seed` is any safe integer; `stream` derives independent sequences from one seed. */
  constructor(seed: number, stream = 0) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 2 ** 32) >>> 0;
    this.state = splitmix32(
      splitmix32(lo ^ 0x9e3779b9) ^ splitmix32(hi + 0x7f4a7c15) ^ splitmix32(stream + 0x632be5ab),
    );
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Exponentially distributed with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const a = items[i] as T;
      items[i] = items[j] as T;
      items[j] = a;
    }
    return items;
  }

  /** `total × f` for a fraction f in [0, 1], in integer arithmetic (parts per billion). */
  fraction(total: bigint, f: number): bigint {
    const ppb = BigInt(Math.max(0, Math.min(1_000_000_000, Math.round(f * 1_000_000_000))));
    return (total * ppb) / 1_000_000_000n;
  }
}

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
