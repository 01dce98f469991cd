/**
 * Buffer ids ever allocated, so a free of an id that is no longer live is known as a second free
 * (rule 2) however long ago the first was. TT-Metal's unique_id is a global counter from 0, so ids are
 * dense: a bitset costs 1 bit per buffer ever made (10 M buffers: 1.25 MB). Ids past the bitset's
 * limit (hostile or foreign streams) fall back to a Set.
 */

// 2^30 ids = 128 MiB of bitset at most; grown by doubling only as far as ids actually go.
const BITSET_MAX_IDS = 2 ** 30;
const INITIAL_WORDS = 1024;

export class SeenIds {
  private bits = new Uint32Array(INITIAL_WORDS);
  private readonly sparse = new Set<number>();

  add(id: number): void {
    if (id < BITSET_MAX_IDS) {
      const word = id >>> 5;
      if (word >= this.bits.length) this.grow(word);
      this.bits[word] |= 1 << (id & 31);
    } else {
      this.sparse.add(id);
    }
  }

  has(id: number): boolean {
    if (id < BITSET_MAX_IDS) {
      const word = id >>> 5;
      return word < this.bits.length && (this.bits[word] & (1 << (id & 31))) !== 0;
    }
    return this.sparse.has(id);
  }

  private grow(word: number): void {
    let length = this.bits.length;
    while (length <= word) length *= 2;
    const bigger = new Uint32Array(length);
    bigger.set(this.bits);
    this.bits = bigger;
  }
}
