/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core. Without chromium
 * this file fails and says how to install it (scripts/install-chromium.sh); set
 * TT_ALLOC_SKIP_BROWSER_TESTS=1 to skip it on purpose. The screenshot is written to
 * test-artifacts/html-report.png.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../lib/output/html';
import { groupDigits, humanBytes } from '../lib/output/html/escape';
import { anomalyReport, LEAKED_SIZES } from './helpers/output-reports';

const CHROMIUM = '/usr/bin/chromium';
const SKIP = process.env.TT_ALLOC_SKIP_BROWSER_TESTS === '1';
const artifacts = path.join(__dirname, '..', 'test-artifacts');

describe.skipIf(SKIP)('HTML report in headless Chromium', () => {
  const report = anomalyReport();
  const file = path.join(artifacts, 'html-report.html');
  const url = pathToFileURL(file).href;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: run scripts/install-chromium.sh (or set TT_ALLOC_SKIP_BROWSER_TESTS=1 to skip the browser tests)`);
    }
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(file, renderHtmlReport(report));
    browser = await chromium.launch({ executablePath: CHROMIUM });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
    // Every request but the page itself is recorded and refused.
    context.on('request', (r) => { requests.push(r.url()); });
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => { errors.push(`page error: ${e.message}`); });
    page.on('requestfailed', (r) => { errors.push(`request failed: ${r.url()}`); });
    await page.goto(url, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads without console errors and without any network request', () => {
    expect(errors).toEqual([]);
    expect(requests.filter((u) => u !== url && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
  });

  it('draws one chart canvas per timeline series, with pixels on it', async () => {
    // 8 chips × DRAM, L1, CB and the mesh × DRAM, L1: with the default runtime (2026-04) the trace buffer
    // is a DRAM buffer (PR #36999) and CBs are allocated per chip (PR #37218), docs/sim.md.
    expect(report.timeline.length).toBe(26);
    expect(await page.locator('#timelines .chart canvas').count()).toBe(report.timeline.length);
    const painted = await page.locator('#timelines .chart canvas').first().evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(1000);
  });

  it('names the exact peak of chip 0 DRAM: the workload peak plus the leaked buffers', async () => {
    // Mesh ids count from 0 upstream (generate_unique_mesh_id()): chip 0 is the chip-kind device 0.
    const series = report.timeline.find((s) => s.device === 0 && s.deviceKind === 'chip' && s.type === 'DRAM')!;
    const peak = Math.max(...series.points.map(([, b]) => b));
    expect(peak).toBe(report.devices.find((d) => d.id === 0 && d.kind === 'chip')!.memory.DRAM.peak);
    const legend = page.locator('.chart[data-device="0"][data-device-kind="chip"][data-type="DRAM"] p.peak');
    expect(await legend.getAttribute('data-peak')).toBe(String(peak));
    expect(await legend.textContent()).toMatch(new RegExp(`^peak ${groupDigits(peak)} B \\(${humanBytes(peak).replace('.', '\\.')}\\) at \\d+\\.\\d{3} ms; `));
  });

  it('lists the leaked buffers, largest first', async () => {
    const sizes = await page.locator('#leaks tbody tr td:nth-child(5)').allTextContents();
    expect(sizes).toEqual([...LEAKED_SIZES].sort((a, b) => b - a).map(groupDigits));
  });

  it('zooms every chart to the range dragged across one, and resets (a screenshot is saved)', async () => {
    const ranges = () => page.evaluate(() => (window as unknown as { ttAllocCharts: { scales: { x: { min: number; max: number } } }[] })
      .ttAllocCharts.map((c) => [c.scales.x.min, c.scales.x.max]));
    const full = await ranges();
    expect(full).toHaveLength(report.timeline.length);
    expect(new Set(full.map((r) => r.join()))).toHaveProperty('size', 1);
    const over = page.locator('.chart[data-device="0"][data-device-kind="chip"][data-type="DRAM"] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const zoomed = await ranges();
    expect(new Set(zoomed.map((r) => r.join()))).toHaveProperty('size', 1);
    const [min, max] = zoomed[0];
    const span = full[0][1] - full[0][0];
    // A quarter of the width, give or take the pixel rounding of the drag.
    expect((max - min) / span).toBeGreaterThan(0.2);
    expect((max - min) / span).toBeLessThan(0.3);
    await page.click('#reset-zoom');
    expect(await ranges()).toEqual(full);
    await page.screenshot({ path: path.join(artifacts, 'html-report.png'), fullPage: true });
    expect(fs.statSync(path.join(artifacts, 'html-report.png')).size).toBeGreaterThan(10_000);
  });
});
