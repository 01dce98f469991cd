/**
 * Harness scopes: a name around a stretch of work (a test, a phase), sent as Mark events through the
 * same ring as the runtime's events, so a scope begins and ends exactly between the allocations made
 * before and after it, on any thread. Allocations made while a scope is open carry its name (the
 * innermost open scope) in leaks and anomaly sites; `report().scopes` has each scope's peak.
 * While tracking is disabled the marks are not recorded; the functions still run.
 */
import { invalidOption } from './errors';
import { native, nativeCall } from './native';
import { expectString } from './validate';

/** An open scope, from beginScope(); pass it to endScope() once. */
export type ScopeToken = number & { readonly __scopeToken: unique symbol };

// Interned name ids by name: one N-API call per distinct name. The native table holds 4,096 names;
// past that, names intern as id 0 and such scopes are reported without a name.
const nameIds = new Map<string, number>();
const open = new Map<number, string>();
let nextToken = 1;

function nameId(name: string): number {
  let id = nameIds.get(name);
  if (id === undefined) nameIds.set(name, (id = nativeCall(() => native().intern(name))));
  return id;
}

/** Opens a scope named `name`; returns the token that ends it. Scopes may nest and overlap. */
export function beginScope(name: string): ScopeToken {
  expectString('beginScope() name', name);
  const token = nextToken++;
  open.set(token, name);
  const id = nameId(name);
  nativeCall(() => native().mark(id, token, false));
  return token as ScopeToken;
}

/** Ends the scope `token` opened. A token ends once; an unknown or ended token is a TypeError. */
export function endScope(token: ScopeToken): void {
  if (typeof token !== 'number' || !Number.isInteger(token) || token <= 0 || token >= nextToken) {
    throw invalidOption('endScope() token', 'a token returned by beginScope()', token, 'type');
  }
  const name = open.get(token);
  if (name === undefined) throw new TypeError(`endScope(): the scope of token ${token} has already ended`);
  open.delete(token);
  const id = nameId(name);
  nativeCall(() => native().mark(id, token, true));
}

/**
 * Runs `fn` inside a scope named `name` and returns its result. For a function returning a promise
 * (or any thenable) the scope ends when it settles, and the returned promise settles the same way;
 * otherwise it ends when `fn` returns or throws.
 */
export function scope<T>(name: string, fn: () => T): T {
  expectString('scope() name', name);
  if (typeof fn !== 'function') throw invalidOption('scope() fn', 'a function', fn, 'type');
  const token = beginScope(name);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    endScope(token);
    throw err;
  }
  if (isThenable(result)) {
    return Promise.resolve(result).finally(() => endScope(token)) as T;
  }
  endScope(token);
  return result;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null &&
    typeof (value as { then?: unknown }).then === 'function';
}

/** Names of the scopes open now, oldest first (for diagnostics and tests). */
export function openScopes(): string[] {
  return [...open.values()];
}
