import { describe, expect, it } from 'vitest';
import * as sim from '../lib/sim';
import { enable, report, reset } from '../lib/tracker';
import { ALL_BUGS_OFF } from './helpers/sim-events';

// End to end: the embedded runtime → the graph-tracking processor → ring → aggregator. Expected
// counts follow from each scenario: a 2×4 mesh has 8 chips; every bug mode is off unless set here.
const MB = 1 << 20;

describe('aggregator on the embedded runtime', () => {
  enable();

  it('classifies mesh replica events as replica aliases, with the size counted once per chip', () => {
    reset();
    sim.configure({ bugs: { ...ALL_BUGS_OFF, meshReplicaEvents: true } });
    const mesh = sim.openMesh({ shape: [2, 4] });
    const buffer = sim.createBuffer(mesh, { size: 8 * MB, type: 'DRAM' });
    buffer.deallocate();
    const r = report();
    expect(r.events.alloc).toBe(9);
    expect(r.events.free).toBe(9);
    expect(r.anomalies.aliasFree).toMatchObject({ count: 8, replica: 8, view: 0 });
    expect(r.anomalies.doubleFree.count + r.anomalies.staleFree.count + r.anomalies.untrackedFree.count).toBe(0);
    const chips = r.devices.filter((d) => mesh.chips.includes(d.id));
    expect(chips).toHaveLength(8);
    for (const chip of chips) expect(chip.memory.DRAM).toMatchObject({ current: 0, peak: 8 * MB });
  });

  it('classifies a genuine double deallocation as one doubleFree', () => {
    reset();
    sim.configure({ bugs: { ...ALL_BUGS_OFF, doubleDeallocate: true } });
    const device = sim.openDevice();
    sim.createBuffer(device, { size: 64 * 1024, type: 'DRAM' }).deallocate();
    const r = report();
    expect(r.events).toMatchObject({ alloc: 1, free: 2 });
    expect(r.anomalies.doubleFree.count).toBe(1);
    expect(r.devices.find((d) => d.id === device.id)!.memory.DRAM.current).toBe(0);
  });
});
