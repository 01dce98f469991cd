/**
 * `tt-alloc-tracker demo` as the built CLI (dist/cli/index.js) in a child process: the Llama-style
 * workload (lib/sim/workloads/llama-decode.ts) on a 2x4 mesh with 1 layer and 1 decode step, with
 * every bug mode (--bugs all) and with none.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../lib/report/types';
import { tempDir } from './helpers/child';

const cli = path.join(__dirname, '..', 'dist', 'cli', 'index.js');
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TT_ALLOC_TRACKING_')));
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [cli, 'demo', '--layers', '1', '--steps', '1', ...args], { encoding: 'utf8', env: { ...clean, ...env } });

/*
 * What the workload does with 1 layer and 1 decode step (llama-decode.ts):
 * - mesh buffers: weights 1 + 6 per layer = 7; the rotary table 1; prefill L1: embedding 1 + 6 per
 *   decoder layer (x, qkv, attn, out, h, y) = 7; decode: embedding 1 + 6 + logits 1 = 8; the trace
 *   buffer 1: 24. Chip-0 buffers: `pooled` and `reuse`: 2. Views: 3 (q, k, v) per decoder layer
 *   call, 2 calls: 6.
 * - ops: prefill 1 + 7 per layer (rms_norm, linear, rotary, sdpa, linear, mul, linear); decode
 *   1 + 7 + 1 (logits): 17, each a launch with track_program; programs: 6 op names + cosSin = 7;
 *   launches 17 + cosSin 1 = 18; CBs at program creation 2+3+2+4+2+1 = 14, allocated once per
 *   program per chip (since 2026-04-19): 14 x 8 = 112 CB events.
 * With --bugs all (native/sim: meshReplicaEvents, viewEvents, programPoolLateFree, doubleDeallocate):
 * - allocations: each mesh buffer 1 backing + 8 per-chip replicas = 24 x 9 = 216, + 2 chip buffers
 *   + 6 views = 224. Replicas are alias (replica) 192, views alias (view) 6: alias 198.
 * - frees through Buffer::report_free (doubled by doubleDeallocate): 216 + 2 + 6 = 224, so 448; plus
 *   the late pool free of `pooled` at cosSin's destroy (Program::release_buffers calls
 *   track_deallocate directly, not doubled) = 449.
 * - classes: ok = 24 backing + 2 chip = 26; aliasFree = the first free of each replica (192, owner
 *   still live) and each view (6) = 198; doubleFree = the 224 repeated frees + the late pool free =
 *   225, of which afterReuse 1 (`reuse` took pooled's address first); no staleFree or untrackedFree.
 * - suspicious frees 225 on 224 buffers (pooled twice); excess free rate 225 / 224 = 100.4%.
 */
describe('tt-alloc-tracker demo --bugs', () => {
  it('all: reproduces the three patterns and genuine double frees, and says what each one was', () => {
    const out = path.join(tempDir(), 'demo', 'report.json');
    const child = run(['--bugs', 'all', '-o', out]);
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const lines = child.stdout.split('\n');
    expect(lines.slice(0, 9)).toEqual([
      'llama-decode on a simulated 2x4 mesh: 1 layer, 1 decode step',
      'buffers 26, chipBuffers 2, views 6, deallocations 26, programs 7, launches 18, circularBuffers 14, ops 17, traces 1',
      lines[2], // allocator peaks: the simulator's own figures
      'Bug modes on: mesh-replicas, views, program-pool, double-free',
      "  mesh-replicas: each chip's replica of a MeshBuffer reported too: alias (replica) allocations and aliasFree (replica) frees, explained, not charged",
      "  views: views reported like owners at their root's address: alias (view) allocations and aliasFree (view) frees, explained, not charged",
      '  program-pool: a pooled buffer freed again when its program is destroyed, after the address was reused: doubleFree (afterReuse), the late-destructor pattern',
      '  double-free: every free reported twice: doubleFree, genuine double frees of one object',
      'What the report made of them: alias 198 (view 6, replica 192), aliasFree 198 (view 6, replica 192), doubleFree 225 (afterReuse 1), staleFree 0, untrackedFree 0',
    ]);
    expect(child.stdout).toContain('tt-alloc-tracker report: 910 events (alloc 224, free 449, cb 112, program 17, ops 17, marks 0)\n');
    expect(child.stdout).toContain([
      'Anomalies (events)',
      '  doubleFree          225 (afterReuse 1)  an object freed again',
      '  staleFree             0  freed after its owner or its memory was gone',
      '  untrackedFree         0  allocated before tracking began',
      '  overlap               0  allocation over part of a live range (missed free?)',
      '  duplicateAlloc        0  a live object allocated again',
      '  explained           396 (alias 198, aliasFree 198; views 12, mesh replicas 384)  allocations and …',
      '  225 suspicious frees on 224 buffers; excess free rate 100.4% (suspicious frees per allocation)',
    ].join('\n'));
    expect(child.stdout.endsWith(`\nwrote the report to ${out}\n`)).toBe(true);
    const r: Report = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(r.classes).toEqual({
      alloc: { ok: 26, alias: 198, overlap: 0, duplicateAlloc: 0, invalid: 0 },
      free: { ok: 26, aliasFree: 198, doubleFree: 225, staleFree: 0, untrackedFree: 0, invalid: 0 },
    });
    expect(r.summary).toMatchObject({ allocs: 224, frees: 449, suspiciousFrees: 225, aliasFrees: 198, affectedBuffers: 224 });
    expect(r.summary.excessFreeRate).toBe(225 / 224);
  });

  it('none: the runtime as upstream reports it, every allocation and free explained', () => {
    const child = run([]);
    expect(child.status).toBe(0);
    expect(child.stdout).toContain('No bug mode: the simulated runtime reports what upstream TT-Metal reports. ' +
      'Every allocation and free is explained: no suspicious free, no alias.\n');
    // 24 mesh buffers once each (no replica events) and 2 chip buffers, each freed once; views report
    // nothing. 289 events = 26 + 26 + 112 CB allocs + 17 programs + 17 op starts + 17 op ends + 8
    // MeshChip + 18 DeviceInfo (DRAM, L1 of 8 chips and the mesh) + 48 CB releases (6 mesh programs
    // with CBs x 8 chips, at destroy). With --bugs all: 289 - 52 + 224 + 449 = 910, as above.
    expect(child.stdout).toContain('tt-alloc-tracker report: 289 events (alloc 26, free 26, cb 112, program 17, ops 17, marks 0)\n');
    expect(child.stdout).toContain('  explained             0 (alias 0, aliasFree 0; views 0, mesh replicas 0)');
    expect(child.stdout).toContain('  0 suspicious frees on 0 buffers; excess free rate 0.0% (suspicious frees per allocation)\n');
  });

  it('a list picks modes; a bad list names the flag, the value and what is allowed', () => {
    const child = run(['--bugs', 'views,double-free']);
    expect(child.status).toBe(0);
    expect(child.stdout).toContain('Bug modes on: views, double-free\n');
    for (const bad of ['foo', 'views,views', 'views,', 'ALL']) {
      const failed = run(['--bugs', bad]);
      expect(failed.stdout).toBe('');
      expect(failed.stderr).toBe(`tt-alloc-tracker: Expected 'all' or a comma-separated list of mesh-replicas, views, program-pool, double-free for --bugs but received '${bad}' of type string\n`);
      expect(failed.status).toBe(2);
    }
  });

  it('writes the report to TT_ALLOC_TRACKING_REPORT when there is no -o, in the format of its suffix', () => {
    const dir = tempDir();
    const txt = path.join(dir, 'demo.txt');
    const child = run(['--bugs', 'program-pool'], { TT_ALLOC_TRACKING_REPORT: txt });
    expect(child.status).toBe(0);
    expect(child.stdout.endsWith(`\nwrote the report to ${txt}\n`)).toBe(true);
    expect(fs.readFileSync(txt, 'utf8')).toMatch(/^tt-alloc-tracker report: /);
    const html = path.join(dir, 'demo.html');
    expect(run(['-o', html], { TT_ALLOC_TRACKING_REPORT: txt }).status).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });
});
