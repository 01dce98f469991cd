/**
 * The graph-tracking processor as registered with the simulated GraphTracker (attached when the addon
 * loads). Detaching it shows that every event comes through it: the runtime alone emits nothing.
 */
import { call, processorNative } from './binding';

export const processor = {
  /** 'background' (process-wide, sees every thread), 'global', or 'thread' (registering thread only). */
  get registration(): string {
    return call(() => processorNative().registration);
  },
  attach(): string {
    return call(() => processorNative().attach());
  },
  detach(): boolean {
    return call(() => processorNative().detach());
  },
  isAttached(): boolean {
    return call(() => processorNative().attached());
  },
  /** GraphTracker callbacks the processor received so far. */
  callbacks(): number {
    return call(() => processorNative().callbacks());
  },
};
