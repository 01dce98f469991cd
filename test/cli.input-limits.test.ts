/**
 * Bounded input. `summary`, `html` and `perfetto` read whole report files: on /dev/zero they used to
 * read forever with memory growing without limit, and `html` on a valid report listing 2,000,000 leaks
 * died with "internal error" (a page over V8's longest string). Now a device, FIFO, directory or a
 * file over MAX_REPORT_FILE_BYTES is one line and exit 2, and the HTML page lists at most
 * HTML_LEAK_ROWS leaks and says how many it left out.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_REPORT_FILE_BYTES } from '../lib/cli/files';
import { renderHtmlReport } from '../lib/output/html';
import { HTML_LEAK_ROWS } from '../lib/output/html/tables';
import * as sim from '../lib/sim';
import { enable, report, reset } from '../lib/tracker';
import type { Report } from '../lib/report/types';
import { root, tempDir } from './helpers/child';

const CLI = path.join(root, 'dist', 'cli', 'index.js');
// A regression to reading /dev/zero forever must fail the test, not stall the suite.
const TIMEOUT_MS = 20_000;
const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: TIMEOUT_MS });
  return { status: r.status, stderr: r.stderr };
}

const COMMANDS: [string, string[]][] = [
  ['summary', []],
  ['html', ['-o', 'out.html']],
  ['perfetto', ['-o', 'out.json']],
];

describe('report files the CLI refuses before reading', () => {
  it.each(COMMANDS)('%s on /dev/zero: one line, exit 2', (command, rest) => {
    expect(cli(command, '/dev/zero', ...rest)).toEqual({
      status: 2,
      stderr: 'tt-alloc-tracker: /dev/zero: is a character device, expected a regular file\n',
    });
  });

  it.each(COMMANDS)('%s on a FIFO: one line, exit 2, without waiting for a writer', (command, rest) => {
    const fifo = path.join(dir, `fifo-${command}`);
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(cli(command, fifo, ...rest)).toEqual({ status: 2, stderr: `tt-alloc-tracker: ${fifo}: is a FIFO, expected a regular file\n` });
  });

  it('a directory: one line, exit 2', () => {
    expect(cli('summary', dir)).toEqual({ status: 2, stderr: `tt-alloc-tracker: ${dir}: is a directory, expected a file\n` });
  });

  it.each(COMMANDS)('%s on a file one byte over the limit: one line, exit 2, nothing read', (command, rest) => {
    const big = path.join(dir, `big-${command}.json`);
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_REPORT_FILE_BYTES + 1);  // sparse: no disk, and never read
    expect(MAX_REPORT_FILE_BYTES).toBe(500_000_000);
    expect(cli(command, big, ...rest)).toEqual({
      status: 2,
      stderr: `tt-alloc-tracker: ${big}: 500000001 bytes, over the limit of 500000000 bytes for a report file\n`,
    });
  });
});

describe('the HTML report of a report listing 2,000,000 leaks', () => {
  it(`lists the first ${HTML_LEAK_ROWS} and says how many it left out`, () => {
    enable({ drainIntervalMs: 0 });
    reset();
    const device = sim.openDevice();
    sim.createBuffer(device, { size: 4096, type: 'DRAM', pageSize: 4096 });
    const one = report();
    sim.close();
    // 2,000,000 copies of the one real leak under distinct ids: a valid report (leakListLimit allows
    // up to 10^7) whose leak table alone would be ~600 MB of HTML.
    const N = 2_000_000;
    const leak = one.leaks[0];
    const big: Report = {
      ...one,
      leaks: Array.from({ length: N }, (_, i) => ({ ...leak, id: i + 1 })),
      leakSummary: { ...one.leakSummary, buffers: N, bytes: N * leak.size, listed: N, groups: [{ ...one.leakSummary.groups[0], buffers: N, bytes: N * leak.size }] },
    };
    const html = renderHtmlReport(big);
    // 2,000,000 × 4,096 B = 8,192,000,000 B.
    expect(html).toContain('2,000,000 live owning buffers, 8,192,000,000 B');
    expect(html).toContain('2,000,000 listed, largest first. The first 1,000 are shown; 1,999,000 more are left out here (they are in the report file).');
    const table = /<table id="leaks">([\s\S]*?)<\/table>/.exec(html)![1];
    // One header row plus HTML_LEAK_ROWS body rows.
    expect(table.match(/<tr>/g)!.length).toBe(1 + 1000);
  });
});
