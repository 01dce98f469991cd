/**
 * The graph-tracking processor as registered with the simulated GraphTracker (attached when the addon
 * loads). Detaching it shows that every event comes through it: the runtime alone emits nothing.
 */
import { processorNative } from './binding';

export const processor = {
  /** 'background' (process-wide, sees every thread), 'global', or 'thread' (registering thread only). */
  get registration(): string {
    return processorNative().registration;
  },
  attach(): string {
    return processorNative().attach();
  },
  detach(): boolean {
    return processorNative().detach();
  },
  isAttached(): boolean {
    return processorNative().attached();
  },
  /** GraphTracker callbacks the processor received so far. */
  callbacks(): number {
    return processorNative().callbacks();
  },
};
