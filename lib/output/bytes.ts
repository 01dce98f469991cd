/**
 * Byte counts as text, for every output: the text summary, the HTML page built in Node, and the
 * page's own script (lib/output/html/client/, bundled with this file at build time), so one number
 * reads the same everywhere. No imports and no Node APIs: this file also runs in the browser.
 */

/** Binary units (1 KiB = 1,024 B), as TT-Metal's allocator sizes are powers of two. */
export const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** An integer with thousands separators, exact and locale-independent: 8192000 → "8,192,000". */
export function groupDigits(n: number): string {
  const negative = n < 0;
  const digits = Math.abs(Math.round(n)).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return negative ? `-${grouped}` : grouped;
}

/**
 * Bytes in the largest binary unit below them, with `decimals` decimals above bytes:
 * 8192000 → "7.81 MiB" (2, the HTML page), 1536 → "1.5 KiB" (1, the text summary), 1023 → "1023 B".
 */
export function humanBytes(n: number, decimals = 2): string {
  let value = Math.abs(n);
  let unit = 0;
  while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(Math.round(value)) : value.toFixed(decimals);
  return `${n < 0 ? '-' : ''}${text} ${BINARY_UNITS[unit]}`;
}

/** The text summary's size column: `512 B`, `1.5 KiB`, `12.0 MiB` (one decimal above bytes). */
export function formatBytes(bytes: number): string {
  return humanBytes(bytes, 1);
}

/** Exact bytes plus the readable size, for the HTML page: "8,192,000 B (7.81 MiB)". */
export function bytesText(n: number): string {
  return Math.abs(n) < 1024 ? `${groupDigits(n)} B` : `${groupDigits(n)} B (${humanBytes(n)})`;
}
