/**
 * Harness scope instances: one per scope begin (one test run, one hook), numbered from 1 (0: none),
 * each with its interned name and the stream position where it ended. A buffer keeps the instance
 * that allocated it, so "still live when the test that made it ended" is one comparison at its free
 * rather than a walk of the live table at every scope end (lifetimes.ts). 12 bytes per instance.
 */
const OPEN = -1;

export class ScopeInstances {
  private names = new Uint32Array(256);
  private ends = new Float64Array(256).fill(OPEN);
  private count = 1;
  /** Whether any instance has ended: until one has, no buffer can have outlived its scope. */
  anyEnded = false;

  /** A new open instance of scope name `nameId`; returns its number. */
  begin(nameId: number): number {
    if (this.count === this.names.length) this.grow();
    const k = this.count++;
    this.names[k] = nameId;
    return k;
  }

  /** Instance `k` ended at stream position `ordinal`. */
  finish(k: number, ordinal: number): void {
    if (k > 0 && k < this.count) {
      this.ends[k] = ordinal;
      this.anyEnded = true;
    }
  }

  /** Interned name id of instance `k`; 0 for none. */
  name(k: number): number {
    return k > 0 && k < this.count ? this.names[k] : 0;
  }

  /** Stream position where instance `k` ended; -1 while open (and for none). */
  end(k: number): number {
    return k > 0 && k < this.count ? this.ends[k] : OPEN;
  }

  private grow(): void {
    const names = new Uint32Array(2 * this.names.length);
    names.set(this.names);
    const ends = new Float64Array(2 * this.ends.length).fill(OPEN);
    ends.set(this.ends);
    this.names = names;
    this.ends = ends;
  }
}
