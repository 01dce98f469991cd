/**
 * Y-axis ticks for byte counts at round binary values: multiples of a power of two (1 KiB = 1,024 B,
 * 1 MiB = 1,048,576 B), so every label is exact ("16 MiB", "1.5 MiB"), never "47.68 MiB".
 * Self-contained functions: the HTML page inlines their source (Function.prototype.toString).
 */

/** The tick step: the smallest power of two that gives at most `maxTicks` steps up to `max`. */
export function binaryTickStep(max: number, maxTicks: number): number {
  let step = 1;
  while (max / step > maxTicks) step *= 2;
  return step;
}

/** 0, step, 2·step, … up to the first multiple at or above `max` (at least one step). */
export function binaryTicks(max: number, maxTicks: number): number[] {
  const step = binaryTickStep(max, maxTicks);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  return ticks;
}

/**
 * A tick's label in the largest binary unit the axis top reaches (one unit per axis), with the
 * decimals the value needs: top 2 KiB with step 512 B gives 0, 0.5, 1, 1.5, 2 KiB.
 */
export function binaryTickLabel(bytes: number, top: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  while (u < units.length - 1 && top >= Math.pow(1024, u + 1)) u++;
  const value = bytes / Math.pow(1024, u);
  // A multiple of a power of two divided by a power of 1024 has a finite binary (so decimal) expansion.
  const text = String(Number(value.toFixed(6)));
  return `${text} ${units[u]}`;
}
