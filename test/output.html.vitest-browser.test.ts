/**
 * The HTML report a vitest run writes (TT_ALLOC_TRACKING_REPORT=….html with the package's global
 * setup) in headless Chromium: the fixture project of test/vitest.integration.test.ts in the forks
 * pool, one process per file. The page must show each process's timeline (picked from the process
 * picker) and the per-test table with exact peaks, without console errors. Screenshots go to
 * test-artifacts/vitest-report-*.png. TT_ALLOC_SKIP_BROWSER_TESTS=1 skips it, as the other browser test.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const SKIP = process.env.TT_ALLOC_SKIP_BROWSER_TESTS === '1';
const artifacts = path.join(__dirname, '..', 'test-artifacts');
const fixture = path.join(__dirname, 'fixtures', 'vitest-project');

describe.skipIf(SKIP)('the merged vitest report in headless Chromium', () => {
  const file = path.join(artifacts, 'vitest-report.html');
  const url = pathToFileURL(file).href;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: run scripts/install-chromium.sh (or set TT_ALLOC_SKIP_BROWSER_TESTS=1 to skip the browser tests)`);
    }
    fs.mkdirSync(artifacts, { recursive: true });
    fs.rmSync(file, { force: true });
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !k.startsWith('TT_ALLOC_TRACKING_')));
    const run = spawnSync('npx', ['vitest', 'run'], { cwd: fixture, env: { ...base, TT_ALLOC_TRACKING_REPORT: file }, encoding: 'utf8' });
    expect(run.stdout).toContain(`tt-alloc-tracker: merged 3 worker reports into ${file}: 3 leaked buffers, 0 suspicious frees`);
    browser = await chromium.launch({ executablePath: CHROMIUM });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => { errors.push(`page error: ${e.message}`); });
    await page.goto(url, { waitUntil: 'load' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads without console errors', () => {
    expect(errors).toEqual([]);
  });

  it('lists every test (scope) with its exact peaks and leaks', async () => {
    const rows = await page.locator('#scopes tbody tr').evaluateAll((trs) => trs.map((tr) =>
      Array.from((tr as HTMLTableRowElement).cells).map((c) => c.textContent)));
    // Columns: scope, calls, peak DRAM (B), peak L1 (B), the chip of each peak, leaked buffers,
    // leaked (B): the specs' sizes (test/vitest.integration.test.ts), suspicious frees (the fixtures
    // free each buffer once: 0), largest total peak first. Each
    // file ran in its own process on its chip 0.
    expect(rows).toEqual([
      ['leaky.spec.ts > leaky > keeps a buffer', '1', '65,536', '2,048', 'DRAM on chip 0, L1 on chip 0', '1', '65,536', '0'],
      ['hooks.spec.ts > beforeAll', '1', '32,768', '0', 'DRAM on chip 0', '1', '32,768', '0'],
      ['hooks.spec.ts > afterAll', '1', '0', '16,384', 'L1 on chip 0', '1', '16,384', '0'],
      ['clean.spec.ts > clean > frees what it allocates', '1', '8,192', '4,096', 'DRAM on chip 0, L1 on chip 0', '0', '0', '0'],
      ['hooks.spec.ts > hooks > frees its own buffer', '1', '0', '1,024', 'L1 on chip 0', '0', '0', '0'],
      ['clean.spec.ts > afterAll', '1', '0', '0', '-', '0', '0', '0'],
      ['clean.spec.ts > beforeAll', '1', '0', '0', '-', '0', '0', '0'],
      ['clean.spec.ts > clean > passes toHaveNoLeaks on its own allocations', '1', '0', '0', '-', '0', '0', '0'],
      ['leaky.spec.ts > afterAll', '1', '0', '0', '-', '0', '0', '0'],
      ['leaky.spec.ts > beforeAll', '1', '0', '0', '-', '0', '0', '0'],
    ]);
    // Sorting by a column: L1 peak, largest first.
    await page.click('#scopes thead th:nth-child(4)');
    expect(await page.locator('#scopes tbody tr td:nth-child(4)').allTextContents()).toEqual(
      ['16,384', '4,096', '2,048', '1,024', '0', '0', '0', '0', '0', '0']);
    await page.locator('#scopes').screenshot({ path: path.join(artifacts, 'vitest-report-tests.png') });
  });

  it("shows each process's own timeline, picked from the process picker, with exact peaks", async () => {
    const options = await page.locator('#process-picker option').allTextContents();
    expect(options).toHaveLength(3);
    for (const o of options) expect(o).toMatch(/^pid \d+ — (clean|hooks|leaky)\.spec\.ts$/);
    // Each file's chip 0, DRAM and L1 (per file: the peaks of test/vitest.integration.test.ts).
    const expected: Record<string, [string, string][]> = {
      'clean.spec.ts': [['DRAM', '8192'], ['L1', '4096']],
      'hooks.spec.ts': [['DRAM', '32768'], ['L1', '16384']],
      'leaky.spec.ts': [['DRAM', '65536'], ['L1', '2048']],
    };
    for (let i = 0; i < options.length; i++) {
      await page.selectOption('#process-picker', String(i));
      const specFile = options[i].split(' — ')[1];
      const peaks = await page.locator('#timelines p.peak').evaluateAll((ps) => ps.map((p) => [p.getAttribute('data-type'), p.getAttribute('data-peak')]));
      expect(peaks).toEqual(expected[specFile]);
      expect(await page.locator('#timelines .chart canvas').count()).toBe(2);
      expect(await page.locator('#timelines p.peak').first().textContent()).toMatch(
        new RegExp(`^chip 0: peak ${Number(expected[specFile][0][1]).toLocaleString('en-US')} B \\(\\d+\\.00 KiB\\) at \\d+\\.\\d{3} ms; `));
      if (specFile === 'leaky.spec.ts') {
        await page.screenshot({ path: path.join(artifacts, 'vitest-report-leaky.png'), fullPage: true });
        await page.locator('#timelines').screenshot({ path: path.join(artifacts, 'vitest-report-timeline.png') });
      }
    }
    expect(errors).toEqual([]);
  });

  it("opens what was live at the peak from the peak line's link, one click", async () => {
    const options = await page.locator('#process-picker option').allTextContents();
    // The merged report keeps, per chip and type, the list of the process with the highest peak:
    // chip 0 DRAM is leaky.spec.ts's 64 KiB (its one buffer), L1 hooks.spec.ts's 16 KiB afterAll buffer.
    await page.selectOption('#process-picker', String(options.findIndex((o) => o.endsWith('hooks.spec.ts'))));
    expect(await page.locator('.chart[data-type="DRAM"] a.live-link').count()).toBe(0); // 32 KiB is not the merged peak
    await page.selectOption('#process-picker', String(options.findIndex((o) => o.endsWith('leaky.spec.ts'))));
    const link = page.locator('.chart[data-type="DRAM"] a.live-link');
    expect(await link.textContent()).toBe('live at the peak');
    await link.click();
    const details = page.locator('details.live-at-peak[data-type="DRAM"]');
    expect(await details.getAttribute('open')).toBe('');
    expect(await details.locator('summary').textContent()).toBe('chip 0 · DRAM · peak 65,536 B (64.00 KiB) · 1 buffer live');
    const rows = await details.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells).map((c) => c.textContent)));
    expect(rows.map((r) => [r[1], r[4], r[5], r[6]])).toEqual([['65,536', '-', 'leaky.spec.ts > leaky > keeps a buffer', 'still live']]);
    const l1 = page.locator('details.live-at-peak[data-type="L1"]');
    expect(await l1.locator('summary').textContent()).toBe('chip 0 · L1 · peak 16,384 B (16.00 KiB) · 1 buffer live');
    await details.screenshot({ path: path.join(artifacts, 'vitest-report-live-at-peak.png') });
    expect(errors).toEqual([]);
  });

  it('reads the bytes of every line at the hovered moment, and says what to do when nothing is hovered', async () => {
    expect(await page.locator('#readout').textContent()).toBe("Hover over a chart to read every line's bytes at that moment.");
    const options = await page.locator('#process-picker option').allTextContents();
    await page.selectOption('#process-picker', String(options.findIndex((o) => o.endsWith('leaky.spec.ts'))));
    const over = page.locator('.chart[data-type="DRAM"] .u-over');
    await over.scrollIntoViewIfNeeded(); // the previous test's element screenshot scrolled the page
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 3 });
    // The last moment of leaky.spec.ts's process: its 64 KiB DRAM buffer, never freed.
    expect(await page.locator('#readout').textContent()).toMatch(/^DRAM at \d+\.\d{3} ms: chip 0 65,536 B \(64\.00 KiB\)$/);
    await page.mouse.move(0, 0);
    expect(await page.locator('#readout').textContent()).toBe("Hover over a chart to read every line's bytes at that moment.");
  });
});
