/**
 * Seeded PRNG (xorshift32 mixed with a splitmix-style seed scramble). The runtime's own
 * `fastrand` is also a small xorshift-family generator; what matters here is that the same seed
 * gives the same steal orders and select choices, bit for bit.
 */
export class Rng {
  private s: number;
  constructor(seed: number) {
    let z = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    this.s = z === 0 ? 0x6d2b79f5 : z;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.s = x;
    return x;
  }
  /** fastrandn: uniform in [0, n). */
  intn(n: number): number {
    return n <= 1 ? 0 : Math.floor((this.next() / 4294967296) * n);
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * proc.go `randomOrder`: visits 0..count-1 once each, starting at a random position and stepping
 * by a random stride coprime with count.
 */
export class StealOrder {
  private coprimes: number[] = [];
  private count = 0;
  reset(count: number): void {
    this.count = count;
    this.coprimes = [];
    for (let i = 1; i <= count; i++) if (gcd(i, count) === 1) this.coprimes.push(i);
  }
  /** Fills `out` with the visit order for a random value `r`. */
  order(r: number, out: number[]): number[] {
    out.length = 0;
    const n = this.count;
    if (n === 0) return out;
    let pos = r % n;
    const inc = this.coprimes[Math.floor(r / n) % this.coprimes.length]!;
    for (let i = 0; i < n; i++) {
      out.push(pos);
      pos = (pos + inc) % n;
    }
    return out;
  }
}
