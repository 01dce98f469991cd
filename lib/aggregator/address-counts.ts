/**
 * Generation counts per address: an open-addressing hash table (linear probing) over one Int32Array
 * of (address low word, address high word, count) triples. A Map<number, …> here cost ~500 ns per
 * lookup at 100,000 addresses (boxed entries scattered in the heap; scripts/bench-aggregator.js).
 *
 * Once the table outgrows the cache, each lookup is a cache miss; with 65,536 addresses cycling (the
 * end-to-end benchmark's alloc/free pairs) those misses were a fifth of the aggregator's time. Two
 * things cut them: key and count sit side by side (one miss, not one in a key array and one in a
 * count array), and neighbouring addresses get neighbouring slots. Addresses are multiples of a
 * page or alignment size, so the table divides them by the largest power of two all its keys share
 * (`shift`, learnt as keys arrive; a key with fewer trailing zeros rehashes the table once) and
 * hashes the quotient in groups of GROUP: the GROUP quotients of a group take consecutive slots
 * from the group's hashed start, so an allocator walking up through memory touches a cache line
 * per few addresses. Keys that share no group spread like any hash.
 */
const INITIAL_CAPACITY = 1024; // a power of two
const TWO_32 = 4294967296;
const GROUP_BITS = 3; // 8 quotients per group: 8 × 12 bytes, about 1.5 cache lines
const GROUP_MASK = (1 << GROUP_BITS) - 1;

export class AddressCounts {
  /** slots[3k] = low word, slots[3k + 1] = high word, slots[3k + 2] = count (0 = empty; stored counts are ≥ 1). */
  private slots = new Int32Array(3 * INITIAL_CAPACITY);
  private mask = INITIAL_CAPACITY - 1;
  private used = 0;
  /** Trailing zero bits every stored key's low word has (31 at most: `>>>` takes its count mod 32). */
  private shift = 31;

  get(address: number): number {
    return this.slots[this.probe(address | 0, (address / TWO_32) | 0) + 2] >>> 0;
  }

  /** Adds one to the count of `address` and returns the new count. */
  increment(address: number): number {
    const s = this.slots;
    const lo = address | 0;
    const hi = (address / TWO_32) | 0;
    const j = this.probe(lo, hi);
    const c = s[j + 2];
    if (c !== 0) {
      // Saturate rather than wrap: a generation never returns to "never seen".
      if (c !== -1) s[j + 2] = c + 1;
      return (c !== -1 ? c + 1 : c) >>> 0;
    }
    if (lo !== 0 && trailingZeros(lo) < this.shift) {
      this.shift = trailingZeros(lo);
      this.rehash(this.slots.length); // the key's slot moves too: insert into the rebuilt table
      return this.increment(address);
    }
    s[j] = lo;
    s[j + 1] = hi;
    s[j + 2] = 1;
    if (++this.used * 2 > this.mask + 1) this.rehash(2 * s.length);
    return 1;
  }

  /** Index (into `slots`) of the triple holding (lo, hi), or of the empty triple where it would go. */
  private probe(lo: number, hi: number): number {
    const s = this.slots;
    const mask = this.mask;
    let k = home(lo >>> this.shift, hi) & mask;
    while (s[3 * k + 2] !== 0 && (s[3 * k] !== lo || s[3 * k + 1] !== hi)) k = (k + 1) & mask;
    return 3 * k;
  }

  private rehash(length: number): void {
    const old = this.slots;
    const s = new Int32Array(length);
    const mask = length / 3 - 1;
    for (let j = 0; j < old.length; j += 3) {
      if (old[j + 2] === 0) continue;
      let k = home(old[j] >>> this.shift, old[j + 1]) & mask;
      while (s[3 * k + 2] !== 0) k = (k + 1) & mask;
      s[3 * k] = old[j];
      s[3 * k + 1] = old[j + 1];
      s[3 * k + 2] = old[j + 2];
    }
    this.slots = s;
    this.mask = mask;
  }
}

/** Home slot (before masking) of quotient `q` (the low word shifted) and high word `hi`. */
function home(q: number, hi: number): number {
  const h = Math.imul((q >>> GROUP_BITS) ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  return (h ^ (h >>> 15)) + (q & GROUP_MASK);
}

function trailingZeros(x: number): number {
  return 31 - Math.clz32(x & -x);
}
