/**
 * The built CLI (dist/cli/index.js) in child processes: what is the user's mistake (one line, exit 2)
 * and what is not, a report that has the schema tag and nothing else, outputs that cannot be
 * created, and the colour default of `summary`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { formatReport } from '../lib/output/text';
import type { Report } from '../lib/report/types';
import { reportA } from './helpers/reports';
import { root, tempDir } from './helpers/child';

const CLI = path.join(root, 'dist', 'cli', 'index.js');
// A regression to a hang (mkdir under /proc) must fail the test, not stall the suite.
const TIMEOUT_MS = 20_000;

let dir: string;
let a: Report;
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: TIMEOUT_MS, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(() => {
  enable({ drainIntervalMs: 0 });
  a = reportA();
  dir = tempDir();
  fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(a));
  fs.writeFileSync(path.join(dir, 'tag-only.json'), '{"schema":"tt-alloc-tracker/report@2"}');
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe('a report file with only the schema tag', () => {
  // 13 required top-level properties, `schema` present: 12 missing, the first three named.
  const INVALID = "tt-alloc-tracker: tag-only.json: not a valid tt-alloc-tracker report: (root) must have required property 'complete'; " +
    "(root) must have required property 'events'; (root) must have required property 'classes' (and 10 more)\n";
  const commands: [string, string[]][] = [
    ['perfetto', ['perfetto', 'tag-only.json', '-o', 'trace.json']],
    ['html', ['html', 'tag-only.json', '-o', 'page.html']],
    ['merge', ['merge', 'a.json', 'tag-only.json', '-o', 'merged.json']],
    ['diff', ['diff', 'a.json', 'tag-only.json']],
    ['summary', ['summary', 'tag-only.json']],
  ];
  for (const [name, args] of commands) {
    it(`${name}: one line naming the file and the first violations, exit code 2, nothing written`, () => {
      expect(cli(args)).toEqual({ status: 2, stdout: '', stderr: INVALID });
    });
  }
  it('wrote no output file', () => {
    for (const f of ['trace.json', 'page.html', 'merged.json']) expect(fs.existsSync(path.join(dir, f))).toBe(false);
  });
});

describe('validation errors of the library', () => {
  it('a bad flag value (RangeError, ERR_INVALID_ARG_VALUE) is one line, exit code 2', () => {
    expect(cli(['demo', '--layers', '0'])).toEqual({
      status: 2, stdout: '', stderr: 'tt-alloc-tracker: Expected an integer between 1 and 80 for --layers but received 0 of type number\n',
    });
    expect(cli(['demo', '--steps', 'x'])).toEqual({
      status: 2, stdout: '', stderr: 'tt-alloc-tracker: Expected an integer between 0 and 10000 for --steps but received NaN of type number\n',
    });
  });
});

describe('an output whose directory cannot be created', () => {
  it('under /proc: one line naming the directory, exit code 2, no hang', () => {
    expect(cli(['perfetto', 'a.json', '-o', '/proc/tt-alloc-tracker-test/sub/trace.json'])).toEqual({
      status: 2, stdout: '',
      stderr: 'tt-alloc-tracker: /proc/tt-alloc-tracker-test/sub/trace.json: cannot create directory /proc/tt-alloc-tracker-test ' +
        '(ENOENT: no such file or directory)\n',
    });
    expect(cli(['merge', 'a.json', '-o', '/proc/tt-alloc-tracker-test/merged.html'])).toEqual({
      status: 2, stdout: '',
      stderr: 'tt-alloc-tracker: /proc/tt-alloc-tracker-test/merged.html: cannot create directory /proc/tt-alloc-tracker-test ' +
        '(ENOENT: no such file or directory)\n',
    });
  });

  it('below a file: ENOTDIR, one line, exit code 2', () => {
    expect(cli(['html', 'a.json', '-o', 'a.json/sub/page.html'])).toEqual({
      status: 2, stdout: '', stderr: `tt-alloc-tracker: a.json/sub/page.html: cannot create directory ${path.join(dir, 'a.json', 'sub')} (ENOTDIR: not a directory)\n`,
    });
  });

  it('a missing directory several levels deep is created', () => {
    const r = cli(['merge', 'a.json', '-o', 'x/y/z/merged.json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'x', 'y', 'z', 'merged.json'), 'utf8')).events).toEqual(a.events);
  });
});

describe('summary colour on a terminal', () => {
  // script(1) runs the CLI on a pseudo-terminal, so stdout.isTTY is true; -e returns its exit code.
  const onTerminal = (env: NodeJS.ProcessEnv) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NO_COLOR' && k !== 'FORCE_COLOR'));
    const r = spawnSync('script', ['-qec', `${process.execPath} ${CLI} summary a.json`, '/dev/null'],
      { cwd: dir, encoding: 'utf8', timeout: TIMEOUT_MS, env: { ...clean, ...env } });
    return { status: r.status, stdout: r.stdout.replace(/\r\n/g, '\n') };
  };

  it('colours by default, as formatReport() does', () => {
    expect(onTerminal({})).toEqual({ status: 0, stdout: `${formatReport(a, { color: true })}\n` });
  });

  it('NO_COLOR=1 turns colour off, as for formatReport(); an empty NO_COLOR does not', () => {
    expect(onTerminal({ NO_COLOR: '1' })).toEqual({ status: 0, stdout: `${formatReport(a, { color: false })}\n` });
    expect(onTerminal({ NO_COLOR: '' })).toEqual({ status: 0, stdout: `${formatReport(a, { color: true })}\n` });
  });

  it('--color wins over NO_COLOR; FORCE_COLOR is not read', () => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NO_COLOR' && k !== 'FORCE_COLOR'));
    const colored = spawnSync(process.execPath, [CLI, 'summary', 'a.json', '--color'], { cwd: dir, encoding: 'utf8', env: { ...clean, NO_COLOR: '1' } });
    expect(colored.stdout).toBe(`${formatReport(a, { color: true })}\n`);
    const forced = spawnSync(process.execPath, [CLI, 'summary', 'a.json'], { cwd: dir, encoding: 'utf8', env: { ...clean, FORCE_COLOR: '1' } });
    expect(forced.stdout).toBe(`${formatReport(a, { color: false })}\n`);
  });
});
