/**
 * The embedded simulated runtime (`require('tt-alloc-tracker').sim`): TT-Metal's allocation semantics on
 * simulated Wormhole n150-like chips, driving the same graph-tracking processor as a real device.
 */
export { openDevice, openMesh, close, SimDevice } from './device';
export type { DeviceOptions, MeshOptions } from './device';
export { createBuffer, SimBuffer, BUFFER_TYPES, DEFAULT_PAGE_SIZE } from './buffer';
export type { BufferOptions, SimBufferType } from './buffer';
export { createProgram, SimProgram } from './program';
export type { CircularBufferOptions } from './program';
export { beginOp, endOp } from './ops';
export { configure } from './configure';
export type { BugModes, SimConfig } from './configure';
export { allocatorStats } from './stats';
export type { AllocatorStats } from './stats';
export { runWorkload, WORKLOADS } from './workload';
export type { WorkloadName, WorkloadOptions, WorkloadCounts } from './workload';
export { processor } from './processor';
