/** The addon, loaded once (lib/native-load.ts: local build, else the prebuild for this platform). */
import * as path from 'node:path';
import { forceSourceBuildFromEnv } from './env';
import { TrackerError } from './errors';
import { loadAddon } from './native-load';

export interface NativeStats {
  pushed: number;
  accepted: number;
  dropped: number;
  drained: number;
  /** Events left pending by an owning environment that was torn down (docs/threads.md). */
  discarded: number;
  buffered: number;
  ringHighWater: number;
  spillHighWater: number;
  ringCapacity: number;
  spillCapacity: number;
  names: number;
  namesOverflowed: number;
  /** Rings mapped now: the current one and retired ones a producer may still reach (docs/threads.md#ring-retirement). */
  ringsMapped: number;
  /** Retired rings unmapped so far. */
  ringsReleased: number;
  /** The environment that has tracking enabled and owns the event stream ("the main thread", "worker thread 3"), or null. */
  owner: string | null;
}

export interface RecordStatus {
  /** Journal being written, or null. */
  path: string | null;
  /** Why the last journal stopped early (a write failed), or null. */
  error: string | null;
  /** Events written to the current journal. */
  events: number;
  /** Op and scope names written to the current journal. */
  names: number;
}

export interface NativeBinding {
  formatVersion: number;
  recordBytes: number;
  /**
   * record: a path starts (or continues) a journal there, false finishes it, undefined keeps it.
   * owner: names the calling environment in ERR_TRACKER_OWNED messages (docs/threads.md).
   */
  enable(config: { ringCapacity: number; spillCapacity: number; overflow: 'drop' | 'block'; record?: string | false; owner: string }): void;
  disable(): void;
  isEnabled(): boolean;
  /** reset: the tracker is resetting; the journal marks the point after these events. */
  drain(reset?: boolean): ArrayBuffer[];
  /**
   * The oldest pending events, at most `maxEvents` (whole 16,384-event chunks; everything with
   * `reset`), as a view over `scratch` when they fit, else over a fresh buffer (a power of two up to
   * 1 MiB, so the caller can keep it as its next scratch); and how many events were still pending after.
   */
  drainInto(scratch: ArrayBuffer, reset: boolean, maxEvents: number): [Uint8Array, number];
  recordStatus(): RecordStatus;
  stats(): NativeStats;
  names(fromId: number): string[];
  intern(name: string): number;
  mark(nameId: number, token: number, end: boolean): boolean;
  testing: TestingBinding;
  /** The graph-tracking processor's registration (native/napi/js_processor.cpp); in every build. */
  processor: ProcessorBinding;
  /** The embedded runtime (native/napi/js_sim.cpp); absent from a build against a real TT-Metal. */
  sim?: SimBinding;
}

/** Test producers (native/napi/js_testing.cpp), for lib/testing.ts and the benchmarks. */
export interface TestingBinding {
  emitSynthetic(opts: { threads: number; perThread: number; onCallingThread: boolean }): { pushed: number; dropped: number };
  pushViaCApi(addonPath: string, count: number): number;
  /** ratePerSec 0: as fast as possible. */
  startBackgroundProducers(opts: { threads: number; perThread: number; ratePerSec: number }): void;
  backgroundResult(): { pushed: number; dropped: number; elapsedNs: number } | null;
  publishProgress(): void;
  crc32c(bytes: Uint8Array): number;
}

/** What the addon was compiled against and how its processor is registered now (js_processor.cpp JS_info). */
export interface NativeProcessorInfo {
  runtime: 'simulator' | 'tt-metal';
  registration: 'global' | 'thread' | 'background';
  attached: boolean;
  attachedThreads: number;
  features: Record<string, boolean>;
}

export interface ProcessorBinding {
  /** How the processor is registered: 'background' (process-wide), 'global' or 'thread'. */
  registration: 'background' | 'global' | 'thread';
  attach(): string;
  detach(): boolean;
  attached(): boolean;
  callbacks(): number;
  attachThisThread(): boolean;
  detachThisThread(): boolean;
  info(): NativeProcessorInfo;
  runtimeCaptureEnabled(): boolean;
  /** Simulator builds only: the decode workload on a pool thread, attached to the processor or not. */
  workloadOnThread?(device: number, attach: boolean): Promise<{ thread: number; covered: boolean }>;
}

/* The embedded runtime (native/napi/js_sim.cpp, js_sim_thread.cpp), used through lib/sim. */

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

const packageRoot = path.join(__dirname, '..');

function load(): { binding: NativeBinding; path: string } {
  return loadAddon<NativeBinding>(packageRoot, forceSourceBuildFromEnv());
}

let loaded: { binding: NativeBinding; path: string } | undefined;

/** The addon, loaded on first use. */
export function native(): NativeBinding {
  return (loaded ??= load()).binding;
}

/** File the addon was loaded from (for the C ABI: dlopen it with RTLD_NOLOAD). */
export function nativePath(): string {
  return (loaded ??= load()).path;
}

/**
 * The one conversion of a native failure into a JS error: an Error with a string `code` (how the addon
 * throws, native/napi/coded_error.hpp) becomes a TrackerError with that code and message; anything
 * else (a validation TypeError, an error already converted) is returned as it is.
 */
export function toTrackerError(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof TrackerError) return err;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? new TrackerError(code, err.message) : err;
}

/** Runs a call into the addon; what it throws goes through toTrackerError(). Every native call goes through here. */
export function nativeCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toTrackerError(err);
  }
}

/** nativeCall() for a native function returning a promise: its rejection is converted too. */
export function nativeCallAsync<T>(fn: () => Promise<T>): Promise<T> {
  return nativeCall(fn).catch((err: unknown) => {
    throw toTrackerError(err);
  });
}
