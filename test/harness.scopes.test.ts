import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as pkg from '../lib/index';
import { checkpoint, enable, leaksSince, report, reset } from '../lib/tracker';
import { beginScope, endScope, openScopes, scope, type ScopeToken } from '../lib/scopes';
import * as sim from '../lib/sim';
import { typeError } from './helpers/errors';

beforeAll(() => enable({ drainIntervalMs: 0 }));
afterEach(() => {
  sim.close();
  reset();
});

const scopeReport = (name: string) => report().scopes.find((s) => s.name === name);

describe('scope(name, fn)', () => {
  it('is exported by the package with beginScope and endScope', () => {
    expect([pkg.scope, pkg.beginScope, pkg.endScope]).toEqual([scope, beginScope, endScope]);
  });

  it('returns what a sync function returns and names its allocations', () => {
    const d = sim.openDevice();
    const kept = scope('load weights', () => {
      const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
      sim.createBuffer(d, { size: 1024, type: 'L1' }).deallocate();
      return a;
    });
    const outside = sim.createBuffer(d, { size: 512, type: 'DRAM' });
    expect(openScopes()).toEqual([]);
    const r = report();
    // The scope's own allocations on chip 0: DRAM 4096, L1 1024 (nothing else was on the chip meanwhile).
    const chip0 = { id: d.id, kind: 'chip' };
    const bytes = { DRAM: 4096, L1: 1024, SYSTEM_MEMORY: 0, L1_SMALL: 0, TRACE: 0, CB: 0 };
    expect(r.scopes).toEqual([{
      name: 'load weights', calls: 1, peak: bytes, peakDevice: { DRAM: chip0, L1: chip0 }, devicePeak: bytes, devicePeakDevice: { DRAM: chip0, L1: chip0 }, suspiciousFrees: 0,
    }]);
    expect(r.leaks.map((l) => [l.id, l.scope])).toEqual([[kept.id, 'load weights'], [outside.id, null]]);
    expect(r.events.mark).toBe(2);
  });

  it('ends the scope when a sync function throws, and rethrows', () => {
    const error = new Error('inside');
    expect(() => scope('throws', () => { throw error; })).toThrow(error);
    expect(openScopes()).toEqual([]);
    expect(scopeReport('throws')?.calls).toBe(1);
    expect(report().events.mark).toBe(2);
  });

  it('for an async function, ends when the promise settles and settles the same way', async () => {
    const d = sim.openDevice();
    const pending = scope('async step', async () => {
      await Promise.resolve();
      return sim.createBuffer(d, { size: 2048, type: 'DRAM' }).id;
    });
    expect(openScopes()).toEqual(['async step']);
    const id = await pending;
    expect(openScopes()).toEqual([]);
    const failure = new Error('async failure');
    await expect(scope('async throws', async () => { throw failure; })).rejects.toBe(failure);
    expect(openScopes()).toEqual([]);
    const r = report();
    expect(r.leaks.map((l) => [l.id, l.scope])).toEqual([[id, 'async step']]);
    expect(r.events.mark).toBe(4);
  });

  it('nests: the innermost open scope names an allocation, the outer peak includes the inner bytes', () => {
    const d = sim.openDevice();
    scope('outer', () => {
      sim.createBuffer(d, { size: 1024, type: 'DRAM' });
      scope('inner', () => { sim.createBuffer(d, { size: 8192, type: 'DRAM' }); });
    });
    const r = report();
    expect(r.leaks.map((l) => [l.size, l.scope])).toEqual([[8192, 'inner'], [1024, 'outer']]);
    expect(scopeReport('outer')?.peak.DRAM).toBe(1024 + 8192);
    expect(scopeReport('inner')?.peak.DRAM).toBe(8192);
  });

  it('checks its arguments', () => {
    expect(() => scope('', () => 1)).toThrow(typeError("Expected a non-empty string for scope() name but received '' of type string"));
    expect(() => scope(7 as never, () => 1)).toThrow(typeError('Expected a non-empty string for scope() name but received 7 of type number'));
    expect(() => scope('x', 'fn' as never)).toThrow(typeError("Expected a function for scope() fn but received 'fn' of type string"));
    expect(openScopes()).toEqual([]);
  });
});

describe('beginScope() / endScope()', () => {
  it('mark the stream in order with the runtime events, so a scope covers exactly what happened inside', () => {
    const d = sim.openDevice();
    const before = sim.createBuffer(d, { size: 256, type: 'DRAM' });
    const token = beginScope('phase');
    const inside = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    endScope(token);
    const after = sim.createBuffer(d, { size: 128, type: 'DRAM' });
    const scopeOf = new Map(report().leaks.map((l) => [l.id, l.scope]));
    expect([scopeOf.get(before.id), scopeOf.get(inside.id), scopeOf.get(after.id)]).toEqual([null, 'phase', null]);
  });

  it('scopes may overlap and end in any order', () => {
    const d = sim.openDevice();
    const a = beginScope('a');
    const b = beginScope('b');
    endScope(a);
    const inB = sim.createBuffer(d, { size: 64, type: 'L1' });
    endScope(b);
    expect(report().leaks.map((l) => [l.id, l.scope])).toEqual([[inB.id, 'b']]);
    expect(scopeReport('a')?.peak.L1).toBe(0);
    expect(scopeReport('b')?.peak.L1).toBe(64);
  });

  it('rejects a bad name, and a token that was never issued or has already ended', () => {
    expect(() => beginScope(undefined as never)).toThrow(typeError('Expected a non-empty string for beginScope() name but received undefined of type undefined'));
    const token = beginScope('once');
    endScope(token);
    expect(() => endScope(token)).toThrow(new TypeError(`endScope(): the scope of token ${token} has already ended`));
    expect(() => endScope(123456789 as ScopeToken)).toThrow(typeError('Expected a token returned by beginScope() for endScope() token but received 123456789 of type number'));
    expect(() => endScope('1' as never)).toThrow(typeError("Expected a token returned by beginScope() for endScope() token but received '1' of type string"));
    expect(report().events.mark).toBe(2);
  });
});

describe('checkpoint() and leaksSince() with scopes: a per-test leak check', () => {
  it('lists only what the scoped test left allocated, named by the scope', () => {
    const d = sim.openDevice();
    const fixture = sim.createBuffer(d, { size: 65536, type: 'DRAM' }); // allocated before the test
    const since = checkpoint();
    const leaked = scope('suite > test', () => {
      const temp = sim.createBuffer(d, { size: 4096, type: 'L1' });
      temp.deallocate();
      return sim.createBuffer(d, { size: 1024, type: 'DRAM' });
    });
    const leaks = leaksSince(since);
    expect(leaks.map((l) => [l.id, l.size, l.type, l.scope])).toEqual([[leaked.id, 1024, 'DRAM', 'suite > test']]);
    expect(leaks.some((l) => l.id === fixture.id)).toBe(false);
    leaked.deallocate();
    expect(leaksSince(since)).toEqual([]);
  });
});
