/** The addon, loaded once (lib/native-load.ts: local build, else the prebuild for this platform). */
import * as path from 'node:path';
import { forceSourceBuildFromEnv } from './env';
import { loadAddon } from './native-load';

export interface NativeStats {
  pushed: number;
  accepted: number;
  dropped: number;
  drained: number;
  buffered: number;
  ringHighWater: number;
  spillHighWater: number;
  ringCapacity: number;
  spillCapacity: number;
  names: number;
  namesOverflowed: number;
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
  /** record: a path starts (or continues) a journal there, false finishes it, undefined keeps it. */
  enable(config: { ringCapacity: number; spillCapacity: number; overflow: 'drop' | 'block'; record?: string | false }): void;
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
  testing: {
    emitSynthetic(opts: { threads: number; perThread: number; onCallingThread: boolean }): { pushed: number; dropped: number };
    pushViaCApi(addonPath: string, count: number): number;
    /** ratePerSec 0: as fast as possible. */
    startBackgroundProducers(opts: { threads: number; perThread: number; ratePerSec: number }): void;
    backgroundResult(): { pushed: number; dropped: number; elapsedNs: number } | null;
    publishProgress(): void;
    crc32c(bytes: Uint8Array): number;
  };
  // The embedded runtime's functions (native/napi/js_sim.cpp); typed in lib/sim.
  [key: string]: unknown;
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
