/** Text for HTML pages: escaping for elements, attributes and inline scripts (number formats: ../bytes.ts). */

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

// Kept for the tests that import them from here (lib/ imports ../bytes): one definition, in ../bytes.
export { bytesText, groupDigits, humanBytes } from '../bytes';
