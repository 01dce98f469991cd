import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tracker from '../lib/index';
import * as sim from '../lib/sim';
import { emitSynthetic } from '../lib/testing';
import { ALL_BUGS_ON, tempDir } from './helpers/journal';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('replay(journal)', () => {
  it('rebuilds exactly the live report of the Llama workload with every bug mode on', () => {
    const file = path.join(dir, 'llama.ttj');
    tracker.enable({ record: file, drainIntervalMs: 0 });
    sim.configure({ bugs: ALL_BUGS_ON });
    sim.runWorkload('llama-decode', { mesh: [2, 4], layers: 4, steps: 8 });
    const live = tracker.report();
    // The bug modes did their work: the report has every anomaly class the earlier tool drowned in.
    expect(live.classes.free.doubleFree).toBeGreaterThan(0);
    expect(live.classes.alloc.alias).toBeGreaterThan(0);
    expect(tracker.recording()).toEqual({ path: file, error: null, events: live.events.total });
    expect(tracker.replay(file)).toEqual(live);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${file}.ring`).mode & 0o777).toBe(0o600);
  });
});
