/**
 * `tt-alloc-tracker diff --fail-on` on two hand-built reports of "the same test suite": in b the
 * test 'suite > grows' allocates twice as much and keeps it, and a new test appears.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregate, alloc, free, scopeBegin, scopeEnd } from './helpers/stream';
import { root, tempDir } from './helpers/child';

const dir = tempDir();
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli', 'index.js'), 'diff', ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

// a: 'suite > grows' allocates 4 KiB DRAM and frees it; 'suite > same' 1 KiB L1, freed.
const a = aggregate([
  scopeBegin(1, 1), alloc(1, 0x1000, 4096), free(1, 0x1000, 4096), scopeEnd(1),
  scopeBegin(2, 2), alloc(2, 0x100, 1024, { memType: 1 }), free(2, 0x100, 1024, { memType: 1 }), scopeEnd(2),
].map((r, k) => ({ ...r, seq: k, time: 1000 + k })), undefined, ['suite > grows', 'suite > same']).report;
// b: 'suite > grows' allocates 8 KiB DRAM and keeps it (a new leak); 'suite > same' as in a; a new
// test 'suite > new' allocates 2 KiB DRAM and frees it.
const b = aggregate([
  scopeBegin(1, 1), alloc(1, 0x1000, 8192), scopeEnd(1),
  scopeBegin(2, 2), alloc(2, 0x100, 1024, { memType: 1 }), free(2, 0x100, 1024, { memType: 1 }), scopeEnd(2),
  scopeBegin(3, 3), alloc(3, 0x4000, 2048), free(3, 0x4000, 2048), scopeEnd(3),
].map((r, k) => ({ ...r, seq: k, time: 1000 + k })), undefined, ['suite > grows', 'suite > same', 'suite > new']).report;
fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(a));
fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify(b));

describe('tt-alloc-tracker diff: ops and scopes, --fail-on', () => {
  it('lists the scopes (tests) whose peak changed, largest growth first, new ones marked', () => {
    const r = cli('a.json', 'b.json');
    expect(r.status).toBe(0);
    // Chip 0 DRAM: peak 4 KiB -> 8 KiB (the kept buffer; the new test's 2 KiB came after it was
    // allocated: 8 + 2 = 10 KiB), current 0 -> 8 KiB.
    expect(r.stdout).toContain([
      'Usage (rows that changed; bytes per chip, CB bytes per core)',
      '  device  type   peak a    peak b    peak Δ  current a  current b  current Δ',
      '  chip 0  DRAM  4.0 KiB  10.0 KiB  +6.0 KiB        0 B    8.0 KiB   +8.0 KiB',
    ].join('\n'));
    expect(r.stdout).toContain([
      'Scopes (tests) whose peak changed (2 rows; largest growth first; bytes)',
      '  type   peak a   peak b         Δ  name',
      '  DRAM  4.0 KiB  8.0 KiB  +4.0 KiB  suite > grows',
      '  DRAM        -  2.0 KiB  +2.0 KiB  suite > new (new in b)',
      '',
    ].join('\n'));
    expect(r.stdout).toContain('Ops: same peaks\n');
    expect(r.stdout).toContain('New leaks in b: 1\n  device  type     size  op / scope\n  chip 0  DRAM  8.0 KiB  - / suite > grows\n');
  });

  it('exits 1 naming every threshold exceeded, 0 when all pass', () => {
    const failed = cli('a.json', 'b.json', '--fail-on', 'leaks,anomalies,peak:50%,scope-peak:2KiB');
    expect(failed.stderr).toBe('');
    expect(failed.status).toBe(1);
    // peak: 4 KiB -> 10 KiB is +150% > 50%; scope-peak: 'suite > grows' +4 KiB > 2 KiB, 'suite > new'
    // +2 KiB is not more than 2 KiB; no suspicious class grew.
    expect(failed.stdout.slice(failed.stdout.indexOf('--fail-on'))).toBe([
      '--fail-on leaks,anomalies,peak:50%,scope-peak:2KiB: 3 thresholds exceeded',
      '  leaks: b has 1 new leak',
      '  peak: chip 0 DRAM 4.0 KiB -> 10.0 KiB (+6.0 KiB, +150.0%) > 50%',
      '  scope-peak: suite > grows DRAM 4.0 KiB -> 8.0 KiB (+4.0 KiB, +100.0%) > 2.0 KiB',
      '',
    ].join('\n'));
    const passed = cli('a.json', 'b.json', '--fail-on', 'anomalies,peak:200%,scope-peak:100%');
    expect(passed.status).toBe(0);
    expect(passed.stdout.endsWith('--fail-on anomalies,peak:200%,scope-peak:100%: passed\n')).toBe(true);
  });

  it('rejects a bad threshold list with the flag, the value and what is allowed, exit 2', () => {
    for (const bad of ['leak', 'peak', 'peak:5', 'peak:x%', 'leaks,leaks', 'scope-peak:1TB', 'leaks:3']) {
      const r = cli('a.json', 'b.json', '--fail-on', bad);
      if (bad === 'peak:5') {
        // 5 bytes is a limit: peak +6 KiB exceeds it.
        expect(r.status).toBe(1);
        continue;
      }
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`tt-alloc-tracker: Expected a comma-separated list of leaks, anomalies, peak:<N>% or peak:<bytes>, scope-peak:<N>% or scope-peak:<bytes> for --fail-on but received '${bad}' of type string\n`);
      expect(r.status).toBe(2);
    }
  });
});
