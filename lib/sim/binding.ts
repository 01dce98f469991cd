/** The simulated runtime's native functions (native/napi/js_sim.cpp), typed; errors become TrackerError. */
import { native } from '../native';

export interface NativeBufferInfo {
  id: number;
  address: number;
  size: number;
  pageSize: number;
  device: number;
  sizePerBank: number;
}

export interface NativeAllocatorStats {
  current: number;
  peak: number;
  buffers: number;
  banks: number;
  alignment: number;
  capacityPerBank: number;
  allocatedPerBank: number;
  largestFreePerBank: number;
  base: number;
}

export interface SimBinding {
  openDevice(config: { l1SmallSize: number; traceRegionSize: number }): number;
  openMesh(config: { rows: number; cols: number; l1SmallSize: number; traceRegionSize: number }): { id: number; chips: number[] };
  closeDevice(id: number): void;
  closeAll(): void;
  createBuffer(device: number, opts: { size: number; pageSize: number; type: number; address?: number }): NativeBufferInfo;
  view(buffer: number, offset: number, size: number): NativeBufferInfo;
  deallocate(buffer: number): void;
  createProgram(device: number): number;
  programAddCircularBuffer(program: number, size: number, cores: number, globallyAllocated: boolean): number;
  programAddBuffer(program: number, buffer: number): void;
  programLaunch(program: number): number[];
  programDestroy(program: number): void;
  beginOp(name: string): void;
  endOp(): void;
  configureBugs(bugs: { meshReplicaEvents: boolean; viewEvents: boolean; programPoolLateFree: boolean; doubleDeallocate: boolean }): void;
  allocatorStats(device: number, type: number): NativeAllocatorStats;
  /** Test-only: `pairs` allocate-then-free of one buffer on a libuv pool thread (js_sim_thread.cpp). */
  allocFreeOnThread(device: number, pairs: number, size: number, type: number): Promise<{ pairs: number; thread: number }>;
}

export interface ProcessorBinding {
  /** How the processor is registered: 'background' (process-wide), 'global' or 'thread'. */
  registration: 'background' | 'global' | 'thread';
  attach(): string;
  detach(): boolean;
  attached(): boolean;
  callbacks(): number;
}

export function simNative(): SimBinding {
  return native().sim as SimBinding;
}

export function processorNative(): ProcessorBinding {
  return native().processor as ProcessorBinding;
}

/** Runs a native call; a runtime failure (an Error with a string `code`) is rethrown as TrackerError. */
export { nativeCall as call } from '../native';
