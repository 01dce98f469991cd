/** Plain-text building blocks for the summary: truncation, aligned columns, ANSI colour (byte sizes: ./bytes.ts). */

// Kept for the tests that import it from here (lib/ imports ./bytes): one definition, in ./bytes.
export { formatBytes } from './bytes';

/** `1 buffer`, `3 buffers`: the count and the noun, plural unless the count is 1. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `s` cut to at most `width` characters, ending in `…` when cut. */
export function truncate(s: string, width: number): string {
  if (s.length <= width) return s;
  return width <= 1 ? s.slice(0, width) : `${s.slice(0, width - 1)}…`;
}

export interface Column {
  header: string;
  align: 'left' | 'right';
}

/**
 * Rows under a header, columns separated by two spaces, indented by `indent`. The last column takes
 * what is left of `width` and is truncated to it, so no line is longer than `width`.
 */
export function table(columns: readonly Column[], rows: readonly string[][], width: number, indent = '  '): string[] {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => r[i].length)));
  const last = columns.length - 1;
  const fixed = indent.length + widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
  widths[last] = Math.max(4, Math.min(widths[last], width - fixed));
  const line = (cells: readonly string[]): string => {
    const parts = cells.map((cell, i) => {
      const text = i === last ? truncate(cell, widths[i]) : cell;
      return i === last && columns[i].align === 'left' ? text : columns[i].align === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]);
    });
    return truncate(indent + parts.join('  '), width).trimEnd();
  };
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}

export type Style = 'bold' | 'red' | 'yellow' | 'green' | 'dim';

const ANSI: Record<Style, [number, number]> = { bold: [1, 22], red: [31, 39], yellow: [33, 39], green: [32, 39], dim: [2, 22] };

/** A painter that wraps text in ANSI codes, or leaves it alone when colour is off. */
export function painter(color: boolean): (style: Style, text: string) => string {
  return color ? (style, text) => `\u001b[${ANSI[style][0]}m${text}\u001b[${ANSI[style][1]}m` : (_style, text) => text;
}
