/** The simulated runtime's native functions (native/napi/js_sim.cpp), typed; errors become TrackerError. */
import { TrackerError } from '../errors';
import { native, nativeCall, type ProcessorBinding } from '../native';

export type { ProcessorBinding } from '../native';

export interface NativeBufferInfo {
  id: number;
  address: number;
  size: number;
  pageSize: number;
  device: number;
  sizePerBank: number;
  /** TensorMemoryLayout value as events carry it. */
  layout: number;
}

export interface NativePart {
  name: string;
  dramBanks: number;
  dramBankBytes: number;
  dramBase: number;
  dramAlignment: number;
  gridX: number;
  gridY: number;
  l1Banks: number;
  l1BankBytes: number;
  l1Alignment: number;
  /** hal L1 unreserved base of the current generation. */
  l1Base: number;
}

export interface NativeDeviceConfig {
  part: string;
  l1SmallSize: number;
  traceRegionSize: number;
}

export interface NativeBufferOptions {
  size: number;
  pageSize: number;
  type: number;
  layout: number;
  cores?: number;
  address?: number;
  bottomUp?: boolean;
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
  openDevice(config: NativeDeviceConfig): number;
  openMesh(config: NativeDeviceConfig & { rows: number; cols: number }): { id: number; chips: number[] };
  closeDevice(id: number, isMesh: boolean): void;
  closeAll(): void;
  createBuffer(device: number, isMesh: boolean, opts: NativeBufferOptions): NativeBufferInfo;
  createTraceBuffer(device: number, isMesh: boolean, size: number, pageSize: number): NativeBufferInfo & { type: number };
  view(buffer: number, offset: number, size: number): NativeBufferInfo;
  deallocate(buffer: number): void;
  release(buffer: number): void;
  createProgram(device: number, isMesh: boolean): number;
  /** `globalBuffer`: a buffer id (a globally allocated CB at its address), or -1. */
  programAddCircularBuffer(program: number, size: number, cores: number, globalBuffer: number): number;
  programAddBuffer(program: number, buffer: number): void;
  programLaunch(program: number): number[];
  programLaunchOperation(program: number): number[];
  programInvalidateCircularBuffers(program: number): void;
  programDestroy(program: number): void;
  clearProgramCache(device: number, isMesh: boolean): void;
  setNoDispatchHook(on: boolean): void;
  /** Generation index: 0 = '2025-06', 1 = '2026-04' (native/sim/runtime.hpp). */
  setRuntime(generation: number): void;
  parts(): NativePart[];
  beginOp(name: string): void;
  endOp(): void;
  configureBugs(bugs: { meshReplicaEvents: boolean; viewEvents: boolean; programPoolLateFree: boolean; doubleDeallocate: boolean }): void;
  allocatorStats(device: number, isMesh: boolean, type: number): NativeAllocatorStats;
  /** Test-only: `pairs` allocate-then-free of one buffer on a libuv pool thread (js_sim_thread.cpp). */
  allocFreeOnThread(device: number, pairs: number, size: number, type: number): Promise<{ pairs: number; thread: number }>;
}

/** The embedded runtime's functions; a build against a real TT-Metal has none (a TrackerError says so). */
export function simNative(): SimBinding {
  const sim = nativeCall(() => native().sim);
  if (sim === undefined) {
    throw new TrackerError('ERR_NO_SIMULATOR', 'tt-alloc-tracker: this addon was built against a real TT-Metal; the embedded runtime (sim) is not in it');
  }
  return sim;
}

export function processorNative(): ProcessorBinding {
  return nativeCall(() => native().processor);
}

/** Runs a native call; a runtime failure (an Error with a string `code`) is rethrown as TrackerError. */
export { nativeCall as call, nativeCallAsync as callAsync } from '../native';
