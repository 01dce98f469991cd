/**
 * Y-axis ticks for byte counts at round binary values: multiples of a power of two (1 KiB = 1,024 B,
 * 1 MiB = 1,048,576 B), so every label is exact ("16 MiB", "1.5 MiB"), never "47.68 MiB".
 * One source for the page and for Node: the page inlines BINARY_TICKS_JS as written, and the
 * functions exported here are built from that same text (a transpiler never rewrites it).
 */
export const BINARY_TICKS_JS = String.raw`
  // The tick step: the smallest power of two that gives at most maxTicks steps up to max.
  function binaryTickStep(max, maxTicks) {
    var step = 1;
    while (max / step > maxTicks) step *= 2;
    return step;
  }
  // 0, step, 2 step, ... up to the first multiple at or above max (at least one step).
  function binaryTicks(max, maxTicks) {
    var step = binaryTickStep(max, maxTicks);
    var top = Math.max(step, Math.ceil(max / step) * step);
    var ticks = [];
    for (var v = 0; v <= top; v += step) ticks.push(v);
    return ticks;
  }
  // A tick's label in the largest binary unit the axis top reaches (one unit per axis), with the
  // decimals the value needs: top 2 KiB with step 512 B gives 0, 0.5, 1, 1.5, 2 KiB. A multiple of a
  // power of two divided by a power of 1024 has a finite decimal expansion.
  function binaryTickLabel(bytes, top) {
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var u = 0;
    while (u < units.length - 1 && top >= Math.pow(1024, u + 1)) u++;
    return String(Number((bytes / Math.pow(1024, u)).toFixed(6))) + ' ' + units[u];
  }
`;

interface BinaryTicks {
  binaryTickStep(max: number, maxTicks: number): number;
  binaryTicks(max: number, maxTicks: number): number[];
  binaryTickLabel(bytes: number, top: number): string;
}

// eslint-disable-next-line @typescript-eslint/no-implied-eval -- our own constant text, see above
const compiled = new Function(`${BINARY_TICKS_JS}\nreturn { binaryTickStep, binaryTicks, binaryTickLabel };`)() as BinaryTicks;

export const { binaryTickStep, binaryTicks, binaryTickLabel } = compiled;
