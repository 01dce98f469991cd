/** Shared helpers of the test/sim.*.test.ts files: exact event streams from the simulated runtime. */
import { EventKind, Flag, type EventRecord } from '../../lib/events/format';
import { drainRecords } from '../../lib/testing';
import * as sim from '../../lib/sim';

export const K = EventKind;
/**
 * Alloc/Free flag of a buffer allocated from its bank's top (`!Buffer::bottom_up()`; upstream Buffer
 * defaults `bottom_up` to `is_dram()`, so every L1 and L1_SMALL buffer unless asked otherwise).
 */
export const TOP_DOWN = Flag.TopDown;

/** A record reduced to the fields a stream test asserts. */
export interface Ev {
  kind: number;
  device: number;
  memType: number;
  objectId: number;
  address: number;
  size: number;
  flags: number;
  rootId: number;
  aux: number;
}

export function brief(r: EventRecord): Ev {
  return {
    kind: r.kind, device: r.device, memType: r.memType, objectId: r.objectId, address: r.address,
    size: r.size, flags: r.flags, rootId: r.rootId, aux: r.aux,
  };
}

/** Events since the last call, without DeviceInfo/MeshChip announcements (asserted apart). */
export function drainOps(): Ev[] {
  return drainRecords().filter((r) => r.kind !== K.DeviceInfo && r.kind !== K.MeshChip).map(brief);
}

/** A buffer event as the processor reports it. */
export function buf(kind: number, device: number, memType: number, objectId: number, address: number, size: number,
  extra: Partial<Ev> = {}): Ev {
  return { kind, device, memType, objectId, address, size, flags: 0, rootId: 0, aux: 0, ...extra };
}

/** Every bug mode off: upstream semantics. */
export const ALL_BUGS_OFF = { meshReplicaEvents: false, viewEvents: false, programPoolLateFree: false, doubleDeallocate: false };

/** Between tests: devices closed, the newest generation, bug modes off, no hook, pending events discarded. */
export function resetSim(): void {
  sim.close();
  sim.setNoDispatchHook(false);
  sim.configure({ runtime: sim.DEFAULT_RUNTIME, bugs: ALL_BUGS_OFF });
  drainOps();
}

/** Closes everything and selects `runtime` (a generation changes only while nothing is open). */
export function useRuntime(runtime: sim.SimRuntime): void {
  sim.close();
  sim.configure({ runtime });
  drainOps();
}

/**
 * n150 constants (native/sim/part.hpp, from upstream's Wormhole hal): DRAM base 32 and alignment 32 over
 * 12 banks of 1 GiB; L1 1,499,136 B per core over 8×8 = 64 cores, alignment 16; the L1 unreserved base
 * per generation (hal L1_UNRESERVED_BASE: 97,248 in 2025-06, 103,712 in 2026-04).
 */
export const N150 = {
  dramBase: 32,
  dramBank: 2 ** 30,
  dramBanks: 12,
  l1Bank: 1499136,
  l1Banks: 64,
  l1Base: { '2025-06': 97248, '2026-04': 103712 } as Record<sim.SimRuntime, number>,
};
