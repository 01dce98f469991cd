/**
 * What the HTML report inlines besides uPlot: the page's script and its stylesheet. The script is
 * written in TypeScript (./client/page.ts, type-checked with the DOM library) and bundled at build
 * time into dist/html-client.js (scripts/build-html-client.js, `npm run build:ts`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** From dist/output/html/ and from lib/output/html/ (vitest) alike: the package root's dist/. */
const CLIENT_FILE = path.join(__dirname, '..', '..', '..', 'dist', 'html-client.js');

let script: string | undefined;

/** The bundled page script, read once; an Error naming the build step when it was never built. */
export function clientScript(): string {
  if (script === undefined) {
    try {
      script = fs.readFileSync(CLIENT_FILE, 'utf8');
    } catch (err) {
      throw new Error(`the HTML report's script ${CLIENT_FILE} is missing: run \`npm run build:ts\` (${(err as Error).message})`);
    }
  }
  return script;
}

export const PAGE_CSS = `
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; padding: 16px 24px; max-width: 1280px; color: #1f2328; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 4px; }
h4 { font-size: 13px; margin: 8px 0 0; }
section.charts { display: flex; flex-wrap: wrap; gap: 0 24px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; }
p.readout { font-size: 12px; min-height: 1.4em; margin: 4px 0; font-variant-numeric: tabular-nums; color: #1f2328; background: #f6f8fa; border: 1px solid #d0d7de; padding: 4px 8px; }
th.sortable { cursor: pointer; }
th.sortable::after { content: ' \\2195'; color: #8c959f; }
.u-legend { font-size: 11px; }
p.peak { margin: 0 0 2px; font-size: 12px; }
table { border-collapse: collapse; font-size: 12px; margin: 4px 0 12px; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.none { color: #8c959f; }
.ok { color: #1a7f37; font-weight: 600; }
.bad { color: #cf222e; font-weight: 600; }
.empty { color: #57606a; font-style: italic; }
.note { color: #57606a; font-size: 12px; }
button { font: inherit; font-size: 12px; }
`;
