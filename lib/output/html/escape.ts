/** Text for HTML pages: escaping and number formats that do not depend on the viewer's locale. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * JSON for a `<script type="application/json">` element: `<` becomes `\u003c` (still the same JSON
 * string), so no `</script>` or `<!--` in the data can end or change the element.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Inlined JavaScript: `</script` in a string or comment would end the element early. */
export function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}

/** An integer with thousands separators, exact: 8192000 → "8,192,000". */
export function groupDigits(n: number): string {
  const negative = n < 0;
  const digits = Math.abs(Math.round(n)).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return negative ? `-${grouped}` : grouped;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes in the largest binary unit below them, two decimals: 8192000 → "7.81 MiB". */
export function humanBytes(n: number): string {
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) { v /= 1024; u++; }
  const text = u === 0 ? String(Math.round(v)) : v.toFixed(2);
  return `${n < 0 ? '-' : ''}${text} ${UNITS[u]}`;
}

/** Exact bytes plus the readable size: "8,192,000 B (7.81 MiB)". */
export function bytesText(n: number): string {
  return Math.abs(n) < 1024 ? `${groupDigits(n)} B` : `${groupDigits(n)} B (${humanBytes(n)})`;
}
