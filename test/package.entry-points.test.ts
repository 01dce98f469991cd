import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..');
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  execFileSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('package entry points', () => {
  it('loads with require() and enables from TT_ALLOC_TRACKING_ENABLED=1', () => {
    const out = run(['-e', "const t = require('tt-alloc-tracker'); console.log(t.isEnabled(), t.report().schema)"], { TT_ALLOC_TRACKING_ENABLED: '1' });
    expect(out.trim()).toBe('true tt-alloc-tracker/report@2');
  });

  it('loads with import() and shares one tracker with require()', () => {
    const out = run(['--input-type=module', '-e',
      "import { enable, isEnabled } from 'tt-alloc-tracker'; import { createRequire } from 'node:module'; enable(); console.log(createRequire(import.meta.url)('tt-alloc-tracker').isEnabled())"]);
    expect(out.trim()).toBe('true');
  });

  it('warns once about a bad TT_ALLOC_TRACKING_ENABLED and leaves tracking off', () => {
    const child = spawnSync(process.execPath, ['-e', "console.log(require('tt-alloc-tracker').isEnabled())"], {
      cwd: root, env: { ...process.env, TT_ALLOC_TRACKING_ENABLED: 'yes' }, encoding: 'utf8',
    });
    expect(child.stdout.trim()).toBe('false');
    const warnings = child.stderr.split('\n').filter((line) => line.includes('TT_ALLOC_TRACKING_ENABLED'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("TT_ALLOC_TRACKING_ENABLED='yes' is not one of '1', 'true', '0', 'false'; tracking stays off");
  });

  it('drains pending events at process exit', () => {
    const script = `
      const t = require('tt-alloc-tracker');
      const { emitSynthetic } = require('tt-alloc-tracker/testing');
      t.enable({ drainIntervalMs: 0 });
      process.on('exit', () => console.log(t.stats().drained));
      emitSynthetic({ threads: 1, perThread: 500 });`;
    // The tracker's own exit hook was installed by enable(), before the script's, so it ran first.
    expect(run(['-e', script]).trim()).toBe('1000');
  });
});
