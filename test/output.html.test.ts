import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../lib/output/html';
import { groupDigits, humanBytes, jsonForScript } from '../lib/output/html/escape';
import { MEM_TYPE_NAMES } from '../lib/events/format';
import type { Report } from '../lib/report/types';
import { anomalyReport, LEAKED_SIZES } from './helpers/output-reports';
import { aggregate, alloc, free, opStart, scopeBegin } from './helpers/stream';
import { typeError, unknownOption } from './helpers/errors';

const dataOf = (html: string): unknown => {
  const m = /<script type="application\/json" id="report-data" data-time-origin-ns="(\d+)">([^]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no report-data element');
  return JSON.parse(m[2]);
};
const rowsOf = (html: string, id: string): number => {
  const m = new RegExp(`<table id="${id}">[^]*?<tbody>([^]*?)</tbody>`).exec(html);
  return m ? (m[1].match(/<tr>/g) ?? []).length : 0;
};
/** The page without the content of its script elements: markup and styles, what could reference a URL. */
const markupOf = (html: string): string => html.replace(/(<script[^>]*>)[^]*?(<\/script>)/g, '$1$2');

describe('renderHtmlReport()', () => {
  const report = anomalyReport();
  const html = renderHtmlReport(report);

  it('embeds the report as JSON that parses back to the same report', () => {
    expect(dataOf(html)).toEqual(report);
  });

  it('is self-contained: four inline scripts (report, chart model, uPlot, page), no src, only a data: icon link', () => {
    expect(html.match(/<script\b/g)).toHaveLength(4);
    expect(html.match(/<\/script>/g)).toHaveLength(4);
    const markup = markupOf(html);
    expect(markup).not.toMatch(/\ssrc\s*=/i);
    expect(markup.match(/\shref\s*=\s*"[^"]*"/gi)).toEqual([' href="data:,"']);
    expect(markup).not.toMatch(/@import|url\(/i);
    expect(html).toContain('uPlot'); // the library is inlined
  });

  it('lists one usage row per group of devices with identical usage x type that saw memory, one row per leak and per example', () => {
    // Chips 1-7 of the 2x4 mesh carry the same replicated buffers; chip 0 also holds the three
    // leaked buffers (the chip opened after the mesh closed is chip 0 again); the mesh has its own
    // rows (no mesh CB: CBs are per chip since 2026-04-19; no TRACE: the trace buffer is in DRAM).
    const cells = [...html.matchAll(/<table id="usage">[^]*?<tbody>([^]*?)<\/tbody>/g)][0][1]
      .split('</tr>').filter((r) => r.includes('<td')).map((r) => [...r.matchAll(/<td[^>]*>([^<]*)/g)].map((m) => m[1]));
    expect(cells.map((c) => `${c[0]} ${c[1]}`)).toEqual([
      ...['chip 0', 'chips 1–7, each'].flatMap((d) => ['DRAM', 'L1', 'CB'].map((t) => `${d} ${t}`)), 'mesh 0 DRAM', 'mesh 0 L1']);
    // A group's figures are each member's own (not a sum): compare with chip 7 and chip 1.
    for (const id of [1, 7]) {
      const d = report.devices.find((x) => x.id === id && x.kind === 'chip')!;
      expect(cells.slice(3, 6).map((c) => [c[2], c[3], c[6], c[7], c[8]])).toEqual((['DRAM', 'L1', 'CB'] as const).map((t) => [
        groupDigits(d.memory[t].current), groupDigits(d.memory[t].peak), groupDigits(d.memory[t].allocated), groupDigits(d.memory[t].freed), groupDigits(d.memory[t].liveBuffers)]));
    }
    expect(MEM_TYPE_NAMES).toContain('CB');
    expect(rowsOf(html, 'leaks')).toBe(LEAKED_SIZES.length);
    // Suspicious examples in the table, the explained classes (alias, aliasFree) behind one summary line.
    const explained = report.anomalies.examples.filter((e) => e.class === 'alias' || e.class === 'aliasFree');
    expect(explained.length).toBe(40); // 20 per class (examplesPerClass)
    expect(rowsOf(html, 'anomaly-examples')).toBe(report.anomalies.examples.length - 40);
    expect(rowsOf(html, 'explained-examples')).toBe(40);
    const a = report.anomalies;
    expect(html).toContain(`<details id="explained-examples"><summary>${a.alias.count} alias allocations and ${a.aliasFree.count} alias frees ` +
      `(views ${a.alias.view + a.aliasFree.view}, mesh replicas ${a.alias.replica + a.aliasFree.replica}): explained by ownership, not charged; 40 examples</summary>`);
    expect(rowsOf(html, 'anomaly-counts')).toBe(7);
    const total = LEAKED_SIZES.reduce((a, b) => a + b, 0);
    expect(html).toContain(`<p class="note" id="leak-summary">3 live owning buffers, ${groupDigits(total)} B (${humanBytes(total)}); 3 listed, largest first.</p>`);
  });

  it('keeps hostile names inert: escaped in tables, unable to close the data script', () => {
    const evil = '</script><script>window.pwned=1</script><!--';
    const { report: r } = aggregate([scopeBegin(7, 2), opStart(1), alloc(1, 0x1000, 64)], undefined, [evil, '<b>scope</b>']);
    const page = renderHtmlReport(r, { title: 'a <title> & "quotes"' });
    expect(dataOf(page)).toEqual(r);
    expect(page.match(/<script\b/g)).toHaveLength(4);
    expect(page).not.toContain('<script>window.pwned');
    expect(page).toContain('<td>&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;!--</td>');
    expect(page).toContain('<td>&lt;b&gt;scope&lt;/b&gt;</td>');
    expect(page).toContain('<title>a &lt;title&gt; &amp; &quot;quotes&quot;</title>');
    expect(rowsOf(page, 'ops')).toBe(1); // still open: listed with its peak so far
  });

  it('checks the report against the schema and its options', () => {
    const broken = structuredClone(report) as unknown as { leaks: unknown[] };
    broken.leaks = [{ id: 1 }]; // 9 of a leak's 10 required fields missing
    expect(() => renderHtmlReport(broken as never)).toThrow(typeError(
      "renderHtmlReport() report: not a valid tt-alloc-tracker report: /leaks/0 must have required property 'device'; " +
      "/leaks/0 must have required property 'type'; /leaks/0 must have required property 'address' (and 6 more)", 'ERR_INVALID_REPORT'));
    expect(() => renderHtmlReport(report, { title: 7 } as never)).toThrow(
      typeError('Expected a string for renderHtmlReport() title but received 7 of type number'));
    expect(() => renderHtmlReport(report, { titel: 'x' } as never)).toThrow(
      unknownOption("Unknown option 'titel' for renderHtmlReport() (did you mean 'title'?); allowed: title"));
    expect(() => renderHtmlReport(report, 'x' as never)).toThrow(
      typeError("Expected a plain object for renderHtmlReport() options but received 'x' of type string"));
  });

  it('says when a report is incomplete', () => {
    const dropped: Report = { ...report, complete: false, events: { ...report.events, dropped: 1234 } };
    expect(renderHtmlReport(dropped)).toContain('<span class="bad">INCOMPLETE: 1,234 events dropped</span> ' +
      '(counts, usage and peaks can be low: lost allocations; leaks can be inflated: lost frees)');
    expect(html).toContain('<span class="ok">complete</span>');
  });
});

describe('html/escape', () => {
  it('formats exact and readable bytes', () => {
    expect(groupDigits(8192000)).toBe('8,192,000');
    expect(groupDigits(999)).toBe('999');
    expect(groupDigits(-1234567)).toBe('-1,234,567');
    expect(humanBytes(8192000)).toBe('7.81 MiB');
    expect(humanBytes(1023)).toBe('1023 B');
  });

  it('writes JSON without any "<", so no </script> or <!-- can appear', () => {
    expect(jsonForScript({ a: '</script><!--' })).toBe('{"a":"\\u003c/script>\\u003c!--"}');
    expect(JSON.parse(jsonForScript({ a: '</script><!--' }))).toEqual({ a: '</script><!--' });
  });
});

describe('renderHtmlReport() counts', () => {
  it('says "1 leaked buffer", "1 suspicious free", "1 live owning buffer": singular nouns for one', () => {
    // Buffer 1 kept; buffer 2 freed twice (the second free a doubleFree).
    const { report: r } = aggregate([alloc(1, 0x1000, 64), alloc(2, 0x2000, 64), free(2, 0x2000, 64), free(2, 0x2000, 64)]);
    const page = renderHtmlReport(r);
    // 2 allocations, 2 frees (1 ok, 1 doubleFree), buffer 1 still live.
    expect(page).toContain('· 2 allocations, 2 frees · 1 suspicious free · 1 leaked buffer (64 B)</p>');
    expect(page).toContain('<p class="note" id="leak-summary">1 live owning buffer, 64 B; 1 listed, largest first.</p>');
  });
});
