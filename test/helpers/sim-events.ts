/** Shared helpers of the test/sim.*.test.ts files: exact event streams from the simulated runtime. */
import { EventKind, type EventRecord } from '../../lib/events/format';
import { drainRecords } from '../../lib/testing';
import * as sim from '../../lib/sim';

export const K = EventKind;

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

/** Between tests: bug modes off, devices closed, pending events discarded. */
export function resetSim(): void {
  sim.configure({ bugs: ALL_BUGS_OFF });
  sim.close();
  drainOps();
}
