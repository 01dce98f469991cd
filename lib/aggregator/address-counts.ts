/**
 * Generation counts per address: an open-addressing hash table (linear probing) over one Int32Array
 * of (address low word, address high word, count) triples. A Map<number, …> here cost ~500 ns per
 * lookup at 100,000 addresses (boxed entries scattered in the heap; scripts/bench-aggregator.js).
 * Key and count side by side make a lookup one cache miss, not one in a key array and another in a
 * count array: with 65,536 addresses cycling (the end-to-end benchmark's pairs) the table outgrows
 * the L2 cache and those misses were a fifth of the aggregator's time. Same 12 bytes per slot.
 */
const INITIAL_CAPACITY = 1024; // a power of two
const TWO_32 = 4294967296;

export class AddressCounts {
  /** slots[3k] = low word, slots[3k + 1] = high word, slots[3k + 2] = count (0 = empty; stored counts are ≥ 1). */
  private slots = new Int32Array(3 * INITIAL_CAPACITY);
  private mask = INITIAL_CAPACITY - 1;
  private used = 0;

  get(address: number): number {
    const s = this.slots;
    const mask = this.mask;
    const lo = address | 0;
    const hi = (address / TWO_32) | 0;
    let k = hash(lo, hi) & mask;
    for (;;) {
      const c = s[3 * k + 2];
      if (c === 0) return 0;
      if (s[3 * k] === lo && s[3 * k + 1] === hi) return c >>> 0;
      k = (k + 1) & mask;
    }
  }

  /** Adds one to the count of `address` and returns the new count. */
  increment(address: number): number {
    const s = this.slots;
    const mask = this.mask;
    const lo = address | 0;
    const hi = (address / TWO_32) | 0;
    let k = hash(lo, hi) & mask;
    for (;;) {
      const c = s[3 * k + 2];
      if (c === 0) break;
      if (s[3 * k] === lo && s[3 * k + 1] === hi) {
        // Saturate rather than wrap: a generation never returns to "never seen".
        if (c !== -1) s[3 * k + 2] = c + 1;
        return (c !== -1 ? c + 1 : c) >>> 0;
      }
      k = (k + 1) & mask;
    }
    s[3 * k] = lo;
    s[3 * k + 1] = hi;
    s[3 * k + 2] = 1;
    if (++this.used * 2 > mask + 1) this.grow();
    return 1;
  }

  private grow(): void {
    const old = this.slots;
    const s = new Int32Array(2 * old.length);
    const mask = (s.length / 3) - 1;
    for (let j = 0; j < old.length; j += 3) {
      if (old[j + 2] === 0) continue;
      let k = hash(old[j], old[j + 1]) & mask;
      while (s[3 * k + 2] !== 0) k = (k + 1) & mask;
      s[3 * k] = old[j];
      s[3 * k + 1] = old[j + 1];
      s[3 * k + 2] = old[j + 2];
    }
    this.slots = s;
    this.mask = mask;
  }
}

/** Mixes both 32-bit halves; addresses are multiples of page sizes, so the low bits alone are poor. */
function hash(lo: number, hi: number): number {
  const h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 15);
}
