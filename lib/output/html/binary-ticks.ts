/**
 * Y-axis ticks for byte counts at round binary values: multiples of a power of two (1 KiB = 1,024 B,
 * 1 MiB = 1,048,576 B), so every label is exact ("16 MiB", "1.5 MiB"), never "47.68 MiB".
 * One source for the page and for Node: the page's script (./client/page.ts) is bundled with this
 * file at build time. No Node APIs: this file also runs in the browser.
 */
import { BINARY_UNITS as UNITS } from '../bytes';

/** The tick step: the smallest power of two that gives at most maxTicks steps up to max. */
export function binaryTickStep(max: number, maxTicks: number): number {
  let step = 1;
  while (max / step > maxTicks) step *= 2;
  return step;
}

/** 0, step, 2 step, ... up to the first multiple at or above max (at least one step). */
export function binaryTicks(max: number, maxTicks: number): number[] {
  const step = binaryTickStep(max, maxTicks);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  return ticks;
}

/**
 * A tick's label in the largest binary unit the axis top reaches (one unit per axis), with the
 * decimals the value needs: top 2 KiB with step 512 B gives 0, 0.5, 1, 1.5, 2 KiB. A multiple of a
 * power of two divided by a power of 1024 has a finite decimal expansion.
 */
export function binaryTickLabel(bytes: number, top: number): string {
  let u = 0;
  while (u < UNITS.length - 1 && top >= 1024 ** (u + 1)) u++;
  return `${String(Number((bytes / 1024 ** u).toFixed(6)))} ${UNITS[u]}`;
}
