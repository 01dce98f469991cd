// Types of `tt-alloc-tracker/vitest`: what the setup file exports, and toHaveNoLeaks() on vitest's
// expect(). Hand-written because the library compiles to CommonJS with classic resolution, where
// vitest's ESM-only types cannot be augmented.
export { installTrackerHooks, testName, toHaveNoLeaks, describeLeaks, ENV_FAIL_ON_LEAK } from '../dist/vitest/index';
export type { VitestApi } from '../dist/vitest/index';

interface TtAllocTrackerMatchers<R = unknown> {
  /**
   * Passes when a report (report(), a parsed report file) or a leaksSince() list holds no live
   * owning allocation; otherwise fails listing the leaks (id, device, type, address, size, op, scope).
   */
  toHaveNoLeaks(): R;
}

declare module 'vitest' {
  interface Assertion<T = any> extends TtAllocTrackerMatchers<void> {}
  interface AsymmetricMatchersContaining extends TtAllocTrackerMatchers<void> {}
}
