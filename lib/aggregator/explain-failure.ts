/**
 * Recognises the runtime's allocation failures in an error: a circular-buffer clash or an out-of-memory,
 * from the embedded runtime (codes ERR_SIM_CB_CLASH, ERR_SIM_OUT_OF_MEMORY; native/sim/program.cpp
 * Program::launch, native/sim/bank_allocator.cpp BankAllocator::allocate) or from TT-Metal itself
 * (messages restated from tt_metal/impl/program/program.cpp ProgramImpl::validate_circular_buffer_region
 * and tt_metal/impl/allocator/bank_manager.cpp BankManager::allocate_buffer). Patterns are not anchored:
 * TT_THROW / TT_FATAL wrap the message in a location header and a backtrace.
 */
import { invalidOption } from '../errors';
import { MemType } from '../events/format';

export interface ClashFailure {
  kind: 'cbClash';
  program: number;
  /** End of the static CB region (per core, one bank's address space). */
  cbRegionEnd: number;
  /** The lowest occupied L1 address the runtime checked against. */
  lowestL1Address: number;
  coreRange: string | null;
  message: string;
}

export interface OutOfMemoryFailure {
  kind: 'outOfMemory';
  type: number;
  /** Bytes requested (the buffer's size). */
  requested: number;
  /** Bytes each bank needed. */
  requestedPerBank: number;
  banks: number;
  /** What the runtime said, where its message says it (per bank). */
  largestFreeBlock: number | null;
  freePerBank: number | null;
  capacityPerBank: number | null;
  message: string;
}

export type Failure = ClashFailure | OutOfMemoryFailure;

// native/sim/program.cpp, Program::launch.
const SIM_CLASH = /circular buffers of program (\d+) end at (\d+) B, above the lowest L1 buffer at (\d+) B/;
// native/sim/bank_allocator.cpp, BankAllocator::allocate.
const SIM_OOM = /Out of (\w+) memory: requested (\d+) B \((\d+) B per bank over (\d+) banks\), largest free block (\d+) B per bank, capacity (\d+) B per bank/;
// tt_metal/impl/program/program.cpp, ProgramImpl::validate_circular_buffer_region.
const TT_CLASH = /Statically allocated circular buffers in program (\d+) clash with L1 buffers on core range (.+?)\. L1 buffer allocated at (\d+) and static circular buffer region ends at (\d+)/;
// tt_metal/impl/allocator/bank_manager.cpp; older trees end at "bank size is only {} B" without the statistics.
const TT_OOM = /Out of Memory: Not enough space to allocate (\d+) B (\w+) buffer across (\d+) banks, where each bank needs to store (\d+) B, but bank size is (?:only )?(\d+) B(?: \(allocated: (\d+) B, free: (\d+) B, largest free block: (\d+) B\))?/;

const TYPE_CODES: Record<string, number> = {
  DRAM: MemType.DRAM, L1: MemType.L1, L1_SMALL: MemType.L1_SMALL, TRACE: MemType.TRACE, SYSTEM_MEMORY: MemType.SYSTEM_MEMORY,
};

/** The message of an Error (or error-like object with a string message) or a message string. */
export function failureMessage(option: string, error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  throw invalidOption(option, 'an Error or a message string', error, 'type');
}

/** The allocation failure `message` reports, or null when it reports none. */
export function parseFailure(message: string): Failure | null {
  let m = TT_CLASH.exec(message);
  if (m) return { kind: 'cbClash', program: Number(m[1]), coreRange: m[2], lowestL1Address: Number(m[3]), cbRegionEnd: Number(m[4]), message };
  m = SIM_CLASH.exec(message);
  if (m) return { kind: 'cbClash', program: Number(m[1]), coreRange: null, cbRegionEnd: Number(m[2]), lowestL1Address: Number(m[3]), message };
  m = TT_OOM.exec(message);
  if (m && TYPE_CODES[m[2]] !== undefined) {
    return {
      kind: 'outOfMemory', type: TYPE_CODES[m[2]], requested: Number(m[1]), banks: Number(m[3]), requestedPerBank: Number(m[4]),
      capacityPerBank: Number(m[5]), freePerBank: m[7] === undefined ? null : Number(m[7]),
      largestFreeBlock: m[8] === undefined ? null : Number(m[8]), message,
    };
  }
  m = SIM_OOM.exec(message);
  if (m && TYPE_CODES[m[1]] !== undefined) {
    return {
      kind: 'outOfMemory', type: TYPE_CODES[m[1]], requested: Number(m[2]), requestedPerBank: Number(m[3]), banks: Number(m[4]),
      largestFreeBlock: Number(m[5]), capacityPerBank: Number(m[6]), freePerBank: null, message,
    };
  }
  return null;
}
