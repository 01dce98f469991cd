/** Loads the addon: a prebuild for this platform if one matches, else the local source build. */
import * as path from 'node:path';
import { TrackerError } from './errors';

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
  /** The environment that has tracking enabled and owns the event stream ("the main thread", "worker thread 3"), or null. */
  owner: string | null;
}

export interface NativeBinding {
  formatVersion: number;
  recordBytes: number;
  /** `owner` names the calling environment in ERR_TRACKER_OWNED messages (docs/threads.md). */
  enable(config: { ringCapacity: number; spillCapacity: number; overflow: 'drop' | 'block'; owner: string }): void;
  disable(): void;
  isEnabled(): boolean;
  drain(): ArrayBuffer[];
  stats(): NativeStats;
  names(fromId: number): string[];
  intern(name: string): number;
  mark(nameId: number, token: number, end: boolean): boolean;
  testing: {
    emitSynthetic(opts: { threads: number; perThread: number; onCallingThread: boolean }): { pushed: number; dropped: number };
    pushViaCApi(addonPath: string, count: number): number;
  };
  // The embedded runtime's functions (native/napi/js_sim.cpp); typed in lib/sim.
  [key: string]: unknown;
}

const packageRoot = path.join(__dirname, '..');

function load(): { binding: NativeBinding; path: string } {
  const forceSource = process.env.TT_ALLOC_TRACKING_FORCE_SOURCE_BUILD === '1';
  const candidates = forceSource
    ? [path.join(packageRoot, 'build', 'Release', 'tt_alloc_tracker.node')]
    : [null, path.join(packageRoot, 'build', 'Release', 'tt_alloc_tracker.node')];
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      // node-gyp-build looks in prebuilds/<platform>-<arch>/ first, then build/Release.
      const resolved: string = candidate ?? require('node-gyp-build').resolve(packageRoot);
      return { binding: require(resolved) as NativeBinding, path: resolved };
    } catch (err) {
      failures.push(`  - ${candidate ?? 'node-gyp-build (prebuilds/, build/Release/)'}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new TrackerError(
    'ERR_NATIVE_LOAD',
    [
      `tt-alloc-tracker: could not load the native addon for ${process.platform}-${process.arch}, Node ${process.version}.`,
      'Tried:',
      ...failures,
      'Build it from source (needs python3, make and a C++20 compiler):',
      `  cd ${packageRoot} && npx node-gyp rebuild`,
    ].join('\n'),
  );
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

/** Runs a native call; a native failure (an Error with a string `code`) is rethrown as TrackerError. */
export function nativeCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (err instanceof Error && !(err instanceof TrackerError) && typeof code === 'string') {
      throw new TrackerError(code, err.message);
    }
    throw err;
  }
}
