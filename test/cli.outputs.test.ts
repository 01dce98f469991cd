/** `tt-alloc-tracker perfetto` and `html`, run as the built CLI (dist/cli/index.js) in child processes. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../lib/output/html';
import { toChromeTrace } from '../lib/output/perfetto';
import { anomalyReport } from './helpers/output-reports';

const cli = path.join(__dirname, '..', 'dist', 'cli', 'index.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-alloc-cli-outputs-'));
const report = anomalyReport();
const reportFile = path.join(dir, 'report.json');
fs.writeFileSync(reportFile, JSON.stringify(report));
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });
const write = (name: string, text: string) => { const f = path.join(dir, name); fs.writeFileSync(f, text); return f; };

describe('tt-alloc-tracker perfetto', () => {
  it('writes the trace of a report file, creating the output directory', () => {
    const out = path.join(dir, 'traces', 'run.trace.json');
    const child = run('perfetto', reportFile, '-o', out);
    const trace = toChromeTrace(report);
    const points = report.timeline.reduce((n, s) => n + s.points.length, 0);
    expect(child.stderr).toBe('');
    // 26 tracks: 8 chips × DRAM, L1, CB and the mesh × DRAM, L1. With the default runtime (2026-04) the
    // trace buffer is DRAM (PR #36999) and CBs are allocated per chip (PR #37218): no TRACE track, no mesh
    // CB track (docs/sim.md).
    expect(child.stdout).toBe(`wrote ${out}: ${points} counter points on 26 tracks, ${report.opSlices.slices.length} op slices, ` +
      `${report.anomalies.examples.length} anomaly instants\n`);
    expect(child.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(trace);
  });
});

describe('tt-alloc-tracker perfetto: -o is required (html has a default, next to its input)', () => {
  it('no output option: one line, exit 2, nothing written', () => {
    const child = run('perfetto', reportFile);
    expect(child.stderr).toBe("error: required option '-o, --output <file>' not specified\n(run with --help for usage)\n");
    expect(child.status).toBe(2);
    expect(fs.existsSync(path.join(dir, 'perfetto.out'))).toBe(false);
  });
});

describe('tt-alloc-tracker html', () => {
  it('writes the page of a report file', () => {
    const out = path.join(dir, 'report.html');
    const child = run('html', reportFile, '-o', out, '--title', 'nightly llama');
    const html = renderHtmlReport(report, { title: 'nightly llama' });
    expect(child.stderr).toBe('');
    // 8 chips x DRAM, L1, CB and the mesh x DRAM, L1 (no TRACE series with the 2026 runtime's trace
    // region 0; CBs are per chip since 2026-04-19, docs/sim.md).
    expect(report.timeline).toHaveLength(26);
    expect(child.stdout).toBe(`wrote ${out}: 26 timeline series, ${report.anomalies.examples.length} anomaly examples, 3 leaks listed (${Buffer.byteLength(html)} bytes)\n`);
    expect(child.status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(html);
  });

  it('writes next to its input by default: .json replaced by .html, any other name gets .html', () => {
    const input = path.join(dir, 'nightly', 'run.JSON');
    fs.mkdirSync(path.dirname(input), { recursive: true });
    fs.copyFileSync(reportFile, input);
    const child = run('html', input);
    expect(child.stderr).toBe('');
    expect(child.stdout).toMatch(new RegExp(`^wrote ${path.join(dir, 'nightly', 'run.html').replace(/[.]/g, '\\.')}: 26 timeline series, `));
    expect(fs.readFileSync(path.join(dir, 'nightly', 'run.html'), 'utf8')).toBe(renderHtmlReport(report));
    const bare = path.join(dir, 'nightly', 'report-file');
    fs.copyFileSync(reportFile, bare);
    expect(run('html', bare).status).toBe(0);
    expect(fs.existsSync(`${bare}.html`)).toBe(true);
  });
});

describe.each(['perfetto', 'html'])('tt-alloc-tracker %s: user errors are one line, exit 2', (command) => {
  const out = path.join(dir, `${command}.out`);
  const expectError = (child: ReturnType<typeof run>, message: string) => {
    expect(child.stdout).toBe('');
    expect(child.stderr).toBe(`tt-alloc-tracker: ${message}\n`);
    expect(child.status).toBe(2);
  };

  it('--help describes the command', () => {
    const child = run(command, '--help');
    expect(child.status).toBe(0);
    expect(child.stdout).toContain(`Usage: tt-alloc-tracker ${command} [options] <report.json>`);
    expect(child.stdout).toContain('-o, --output <file>');
  });

  it('a missing file', () => {
    const missing = path.join(dir, 'missing.json');
    expectError(run(command, missing, '-o', out), `${missing}: no such file`);
  });

  it('malformed JSON', () => {
    const text = '{"schema": "tt-alloc-tracker/report@2",';
    const file = write('malformed.json', text);
    let parseMessage = '';
    try { JSON.parse(text); } catch (err) { parseMessage = (err as Error).message; }
    expectError(run(command, file, '-o', out), `${file}: not valid JSON (${parseMessage})`);
  });

  it('JSON that is not a report', () => {
    const array = write('array.json', '[1, 2]');
    expectError(run(command, array, '-o', out), `${array}: expected a report object, found an array`);
    const other = write('other.json', '{"schema": "something-else@2"}');
    expectError(run(command, other, '-o', out),
      `${other}: not a tt-alloc-tracker report (schema is "something-else@2", expected "tt-alloc-tracker/report@2")`);
  });

  it('an output that cannot be written', () => {
    expectError(run(command, reportFile, '-o', dir), `${dir}: is a directory, expected a file`);
  });

});
