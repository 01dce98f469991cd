import { beforeAll, describe, expect, it } from 'vitest';
import { checkpoint, enable, leaksSince, report } from '../lib/tracker';
import { scope } from '../lib/scopes';
import { testName, toHaveNoLeaks } from '../lib/vitest/hooks';
import * as sim from '../lib/sim';

beforeAll(() => {
  enable({ drainIntervalMs: 0 });
  expect.extend({ toHaveNoLeaks });
});

describe('expect(...).toHaveNoLeaks()', () => {
  it('passes on a report or leak list without live owning buffers, fails listing them otherwise', () => {
    const d = sim.openDevice();
    const since = checkpoint();
    (expect(leaksSince(since)) as unknown as { toHaveNoLeaks(): void }).toHaveNoLeaks();
    const kept = scope('outer > inner', () => sim.createBuffer(d, { size: 3000, type: 'L1' }));
    const r = report();
    let message = '';
    try {
      (expect(r) as unknown as { toHaveNoLeaks(): void }).toHaveNoLeaks();
    } catch (e) {
      message = (e as Error).message;
    }
    const leak = r.leaks[0];
    expect(leak.id).toBe(kept.id);
    expect(message).toBe([
      'expected no leaks, but the report leaked 1 buffer (3000 bytes) of device memory:',
      `  id ${kept.id}  device ${d.id}  L1  address 0x${leak.address.toString(16)}  3000 bytes  op -  scope outer > inner`,
    ].join('\n'));
    (expect(r) as unknown as { not: { toHaveNoLeaks(): void } }).not.toHaveNoLeaks();
    kept.deallocate();
    (expect(report()) as unknown as { toHaveNoLeaks(): void }).toHaveNoLeaks();
    expect(toHaveNoLeaks(42)).toMatchObject({ pass: false });
    expect(toHaveNoLeaks(42).message()).toBe('toHaveNoLeaks() expects a report from report() or a leak list from leaksSince()');
  });
});

describe('testName()', () => {
  it("is vitest's full test name, describe > it", ({ task }) => {
    expect(testName(task)).toBe("testName() > is vitest's full test name, describe > it");
    const file = { id: 'f', name: 'x.test.ts', filepath: '/x.test.ts' };
    expect(testName({ id: 't', name: 'it', suite: { id: 's', name: 'outer', suite: { id: 's2', name: 'inner', suite: file } } as never }))
      .toBe('inner > outer > it');
  });
});
