/** beginOp / endOp: TT-Metal op scopes (GraphTracker track_function_start / track_function_end). */
import { expectString } from '../validate';
import { call, simNative } from './binding';

export function beginOp(name: string): void {
  const n = expectString('beginOp() name', name);
  call(() => simNative().beginOp(n));
}

export function endOp(): void {
  call(() => simNative().endOp());
}
