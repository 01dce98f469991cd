/**
 * `tt-alloc-tracker/vitest`: list it in vitest's `setupFiles` (docs/harness.md#vitest). Importing
 * the ESM entry installs the hooks; this module holds what it installs. The matcher's types augment
 * vitest's Assertion in types/vitest.d.ts (hand-written: vitest's types are ESM-only).
 */
export { installTrackerHooks, testName, toHaveNoLeaks } from './hooks';
export type { VitestApi } from './hooks';
export { describeLeaks } from './leak-message';
export { ENV_FAIL_ON_LEAK } from './run-dir';
