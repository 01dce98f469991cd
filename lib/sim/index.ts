/**
 * The embedded simulated runtime (`require('tt-alloc-tracker').sim`): TT-Metal's allocation semantics of
 * one upstream generation at a time (configure({ runtime })) on simulated n150, n300 and p150 chips and
 * meshes, driving the same graph-tracking processor as a real device.
 */
export { openDevice, openMesh, close, partInfo, SimDevice, PARTS } from './device';
export type { DeviceOptions, MeshOptions, SimPart } from './device';
export { createBuffer, SimBuffer, BUFFER_TYPES, DEFAULT_PAGE_SIZE, LAYOUTS, LAYOUT_VALUES } from './buffer';
export type { BufferOptions, SimBufferType, SimLayout } from './buffer';
export { createTraceBuffer } from './trace';
export { createProgram, SimProgram } from './program';
export type { CircularBufferOptions } from './program';
export { beginOp, endOp } from './ops';
export { setNoDispatchHook } from './hooks';
export { configure, settings, runtime, RUNTIMES, DEFAULT_RUNTIME } from './configure';
export type { BugModes, SimConfig, SimSettings, SimRuntime } from './configure';
export { allocatorStats } from './stats';
export type { AllocatorStats } from './stats';
export { runWorkload, WORKLOADS } from './workload';
export type { WorkloadName, WorkloadOptions, WorkloadCounts } from './workload';
export { processor } from './processor';
