/**
 * Seeded pseudo-random numbers (mulberry32 over a splitmix32-mixed seed): a simulated ledger is a pure function of
 * its seed.
 * @example const rng = new Prng(2018); rng.int(1, 6); rng.hex(32)
 */
export class Prng {
  private state: number;

  constructor(seed: number, stream = 0) {
    this.state = splitmix32(splitmix32((seed >>> 0) ^ 0x9e3779b9) ^ splitmix32(stream + 0x632be5ab));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `bytes` random bytes as lower-case hex. */
  hex(bytes: number): string {
    let out = '';
    for (let i = 0; i < bytes; i++)
      out += Math.floor(this.next() * 256)
        .toString(16)
        .padStart(2, '0');
    return out;
  }

  /** `total × share`, rounded down to whole units of `unit`. */
  part(total: bigint, share: number, unit = 1n): bigint {
    const scaled = (total * BigInt(Math.floor(share * 1_000_000))) / 1_000_000n;
    return (scaled / unit) * unit;
  }
}

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
