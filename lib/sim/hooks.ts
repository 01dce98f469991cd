/**
 * setNoDispatchHook: installs (or removes) the hooks ttnn's graph capture in RunMode::NO_DISPATCH
 * installs (GraphTracker::add_hook). Under them an allocation gets address 0 and still calls
 * track_allocate (Buffer::allocate_impl), frees skip the allocator, programs do not run. The tracker never
 * installs a hook; this is for tests of what it reports when someone else does.
 */
import { invalidOption } from '../errors';
import { call, simNative } from './binding';

export function setNoDispatchHook(on: boolean): void {
  if (typeof on !== 'boolean') throw invalidOption('setNoDispatchHook() on', 'a boolean', on, 'type');
  call(() => simNative().setNoDispatchHook(on));
}
