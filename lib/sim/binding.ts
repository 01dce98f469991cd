/** Accessors for the simulated runtime's and the processor's native functions (typed in lib/native.ts); errors become TrackerError. */
import { TrackerError } from '../errors';
import { native, nativeCall, type ProcessorBinding, type SimBinding } from '../native';

export type {
  NativeAllocatorStats, NativeBufferInfo, NativeBufferOptions, NativeDeviceConfig, NativePart, ProcessorBinding, SimBinding,
} from '../native';

/** The embedded runtime's functions; a build against a real TT-Metal has none (a TrackerError says so). */
export function simNative(): SimBinding {
  const sim = nativeCall(() => native().sim);
  if (sim === undefined) {
    throw new TrackerError('ERR_SIM_UNAVAILABLE', 'tt-alloc-tracker: this addon was built against a real TT-Metal; the embedded runtime (sim) is not in it');
  }
  return sim;
}

export function processorNative(): ProcessorBinding {
  return nativeCall(() => native().processor);
}

/** Runs a native call; a runtime failure (an Error with a string `code`) is rethrown as TrackerError. */
export { nativeCall as call, nativeCallAsync as callAsync } from '../native';
