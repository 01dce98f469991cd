/**
 * Generation counts per address: an open-addressing hash table (linear probing) over typed arrays.
 * A Map<number, …> here cost ~500 ns per lookup at 100,000 addresses (boxed entries scattered in the
 * heap; scripts/bench-aggregator.js); this table is two contiguous arrays and no object per address.
 */
const INITIAL_CAPACITY = 1024; // a power of two
const TWO_32 = 4294967296;

export class AddressCounts {
  private keys = new Float64Array(INITIAL_CAPACITY);
  private counts = new Uint32Array(INITIAL_CAPACITY); // 0 = empty slot (every stored count is ≥ 1)
  private mask = INITIAL_CAPACITY - 1;
  private used = 0;

  get(address: number): number {
    let k = hash(address) & this.mask;
    for (;;) {
      const c = this.counts[k];
      if (c === 0) return 0;
      if (this.keys[k] === address) return c;
      k = (k + 1) & this.mask;
    }
  }

  /** Adds one to the count of `address` and returns the new count. */
  increment(address: number): number {
    let k = hash(address) & this.mask;
    for (;;) {
      const c = this.counts[k];
      if (c === 0) break;
      if (this.keys[k] === address) {
        // Saturate rather than wrap: a generation never returns to "never seen".
        if (c < 0xffffffff) this.counts[k] = c + 1;
        return this.counts[k];
      }
      k = (k + 1) & this.mask;
    }
    this.keys[k] = address;
    this.counts[k] = 1;
    if (++this.used * 2 > this.keys.length) this.grow();
    return 1;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    this.keys = new Float64Array(oldKeys.length * 2);
    this.counts = new Uint32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      if (oldCounts[j] === 0) continue;
      let k = hash(oldKeys[j]) & this.mask;
      while (this.counts[k] !== 0) k = (k + 1) & this.mask;
      this.keys[k] = oldKeys[j];
      this.counts[k] = oldCounts[j];
    }
  }
}

/** Mixes both 32-bit halves; addresses are multiples of page sizes, so the low bits alone are poor. */
function hash(address: number): number {
  const lo = address >>> 0;
  const hi = (address / TWO_32) >>> 0;
  const h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 15);
}
