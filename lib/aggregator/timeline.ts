/**
 * A bounded series of (time, current bytes) for one device × memory type. When full, every group of
 * four points is reduced to its lowest and highest point (in time order), halving the series: the
 * highest sample always survives, so every peak stays exact, and so do the valleys between them.
 */
export class Timeline {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private length = 0;
  /** Samples pushed, before any downsampling. */
  samples = 0;

  constructor(private readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  push(time: number, bytes: number): void {
    if (this.length === this.capacity) this.downsample();
    this.times[this.length] = time;
    this.values[this.length] = bytes;
    this.length++;
    this.samples++;
  }

  clone(): Timeline {
    const copy = new Timeline(this.capacity);
    copy.times.set(this.times);
    copy.values.set(this.values);
    copy.length = this.length;
    copy.samples = this.samples;
    return copy;
  }

  points(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.length; i++) out.push([this.times[i], this.values[i]]);
    return out;
  }

  private downsample(): void {
    const t = this.times;
    const v = this.values;
    const groups = Math.floor(this.length / 4);
    let w = 0;
    for (let g = 0; g < groups; g++) {
      const base = g * 4;
      let lo = base;
      let hi = base;
      for (let k = base + 1; k < base + 4; k++) {
        if (v[k] < v[lo]) lo = k;
        if (v[k] > v[hi]) hi = k;
      }
      if (lo === hi) hi = base + 3; // a flat group: keep its first and last point
      const first = lo < hi ? lo : hi;
      const second = lo < hi ? hi : lo;
      t[w] = t[first]; v[w] = v[first]; w++;
      t[w] = t[second]; v[w] = v[second]; w++;
    }
    for (let k = groups * 4; k < this.length; k++, w++) { t[w] = t[k]; v[w] = v[k]; }
    this.length = w;
  }
}
