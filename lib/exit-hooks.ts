/**
 * Work that must happen before the process goes away (drain pending events, write the report, flush
 * a journal), run once, in registration order, on every way a Node process ends that leaves time
 * for synchronous work:
 *
 * - normal end of the event loop, `process.exit()`, an uncaught exception or unhandled rejection:
 *   Node emits 'exit', whose listeners run synchronously (and only synchronously);
 * - SIGINT, SIGTERM: their default action kills the process without 'exit'. When our listener is
 *   the only one for that signal, it runs the hooks, removes itself and re-raises the signal, so the
 *   process still dies of it (exit status 130 / 143 in a shell). When the user installed a listener
 *   of their own, the signal is theirs: we do nothing, and their handler decides (if it calls
 *   process.exit(), the hooks run on 'exit').
 *
 * SIGKILL and crashes inside native code cannot be intercepted.
 */
import { invalidOption } from './errors';

export type ExitHook = () => void;

const HANDLED_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type HandledSignal = (typeof HANDLED_SIGNALS)[number];

const hooks: ExitHook[] = [];
let installed = false;
let ran = false;

function runHooks(): void {
  if (ran) return;
  ran = true;
  for (const hook of hooks) {
    try {
      hook();
    } catch (err) {
      // One failing hook must not keep the others (e.g. the report) from running.
      process.stderr.write(`tt-alloc-tracker: exit hook failed: ${(err as Error).stack ?? String(err)}\n`);
    }
  }
}

function onSignal(signal: HandledSignal): void {
  // Other listeners: the user handles this signal; leave the process to them.
  if (process.listenerCount(signal) > 1) return;
  runHooks();
  process.removeListener(signal, signalListeners[signal]);
  process.kill(process.pid, signal);
}

const signalListeners: Record<HandledSignal, () => void> = {
  SIGINT: () => onSignal('SIGINT'),
  SIGTERM: () => onSignal('SIGTERM'),
};

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runHooks);
  for (const signal of HANDLED_SIGNALS) process.on(signal, signalListeners[signal]);
}

/**
 * Registers `fn` to run once when the process ends (see the module comment for which ends). `fn`
 * must be synchronous: on 'exit' Node runs no further event-loop turns.
 */
export function onExit(fn: ExitHook): void {
  if (typeof fn !== 'function') throw invalidOption('onExit() fn', 'a function', fn, 'type');
  install();
  hooks.push(fn);
}
