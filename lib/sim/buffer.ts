/** createBuffer: owning buffers (MeshBuffers on a mesh), non-owning buffers at an address, views. */
import { invalidOption } from '../errors';
import { MemType } from '../events/format';
import { expectInteger, expectKnownKeys, expectObject, expectOneOf } from '../validate';
import { call, simNative, type NativeBufferInfo } from './binding';
import { runtime, type SimRuntime } from './configure';
import { expectDevice, partInfo, type SimDevice } from './device';

export const BUFFER_TYPES = ['DRAM', 'L1', 'L1_SMALL', 'TRACE'] as const;
export type SimBufferType = (typeof BUFFER_TYPES)[number];

/** TT-Metal's TensorMemoryLayout values (buffer_types.hpp). */
export const LAYOUT_VALUES = {
  INTERLEAVED: 0,
  SINGLE_BANK: 1,
  HEIGHT_SHARDED: 2,
  WIDTH_SHARDED: 3,
  BLOCK_SHARDED: 4,
  ND_SHARDED: 5,
} as const;
export type SimLayout = keyof typeof LAYOUT_VALUES;

/** Layouts per generation: SINGLE_BANK = 1 until 2025-06-23; ND_SHARDED = 5 in 2026 (the headers of each). */
export const LAYOUTS: Record<SimRuntime, readonly SimLayout[]> = {
  '2025-06': ['INTERLEAVED', 'SINGLE_BANK', 'HEIGHT_SHARDED', 'WIDTH_SHARDED', 'BLOCK_SHARDED'],
  '2026-04': ['INTERLEAVED', 'HEIGHT_SHARDED', 'WIDTH_SHARDED', 'BLOCK_SHARDED', 'ND_SHARDED'],
};

const SHARDED: readonly SimLayout[] = ['HEIGHT_SHARDED', 'WIDTH_SHARDED', 'BLOCK_SHARDED', 'ND_SHARDED'];

/** One bfloat16 32×32 tile: TT-Metal's usual page. */
export const DEFAULT_PAGE_SIZE = 2048;
const MAX_SIZE = 2 ** 40;
const MAX_PAGE = 2 ** 31;

export interface BufferOptions {
  /** Bytes, 0..2^40, a whole number of pages (upstream validate_buffer_parameters). Zero-size buffers take no memory and report nothing. */
  size: number;
  type: SimBufferType;
  /** Bytes per page, 1..2^31. @default 2048 when size is a multiple of it, else size (one page) */
  pageSize?: number;
  /** TensorMemoryLayout, one of the current generation's. @default 'INTERLEAVED' */
  layout?: SimLayout;
  /** Sharded layouts only (and required there): the shard cores (banks) the buffer splits over. */
  cores?: number;
  /** Creates a non-owning buffer at this address instead of allocating (reports nothing upstream). */
  address?: number;
}

export class SimBuffer {
  /** @internal */
  constructor(
    private readonly info: NativeBufferInfo,
    readonly type: SimBufferType,
    readonly owning: boolean,
  ) {}

  /** TT-Metal's Buffer::unique_id (for a mesh buffer: its backing buffer's). Ids start at 0. */
  get id(): number { return this.info.id; }
  get address(): number { return this.info.address; }
  get size(): number { return this.info.size; }
  get pageSize(): number { return this.info.pageSize; }
  /** Device id: a chip id, or the mesh id for a mesh buffer. */
  get device(): number { return this.info.device; }
  /** TensorMemoryLayout value, as events carry it. */
  get layout(): number { return this.info.layout; }
  /** Bytes this buffer occupies in each bank it uses: ceil(pages / banks) × the page size rounded up to the alignment. */
  get sizePerBank(): number { return this.info.sizePerBank; }

  /**
   * Buffer::view(region): offset and size whole pages inside this buffer. The full range returns this
   * buffer itself; otherwise a non-owning buffer at the root's address (its offset kept apart) that keeps
   * the root alive. On a mesh buffer: a view of its first chip's buffer.
   */
  view(offset: number, size: number): SimBuffer {
    const page = this.pageSize;
    const o = expectInteger('view() offset', offset, 0, this.size);
    if (o % page !== 0) throw invalidOption('view() offset', `a multiple of the page size ${page} between 0 and ${this.size}`, offset, 'range');
    const s = expectInteger('view() size', size, 0, this.size - o);
    if (s % page !== 0) throw invalidOption('view() size', `a multiple of the page size ${page} between 0 and ${this.size - o}`, size, 'range');
    const info = call(() => simNative().view(this.id, o, s));
    return info.id === this.id ? this : new SimBuffer(info, this.type, false);
  }

  /** DeallocateBuffer / MeshBuffer::deallocate: frees now if this buffer owns memory, then drops the handle. */
  deallocate(): void {
    call(() => simNative().deallocate(this.id));
  }

  /** Drops the handle without freeing (Python's `del tensor`): the memory goes when its last holder (a program's pool, a view) lets go. */
  release(): void {
    call(() => simNative().release(this.id));
  }
}

/** The default page: one tile when the size is a whole number of tiles, else the whole buffer as one page. */
function defaultPageSize(size: number): number {
  return size === 0 || size % DEFAULT_PAGE_SIZE === 0 ? DEFAULT_PAGE_SIZE : size;
}

export function createBuffer(device: SimDevice, options: BufferOptions): SimBuffer {
  const d = expectDevice('createBuffer() device', device);
  const o = expectObject('createBuffer() options', options);
  expectKnownKeys('createBuffer()', o, ['size', 'type', 'pageSize', 'layout', 'cores', 'address']);
  const size = expectInteger('createBuffer() size', o.size, 0, MAX_SIZE);
  const type = expectOneOf('createBuffer() type', o.type, BUFFER_TYPES);
  const pageSize = o.pageSize === undefined ? defaultPageSize(size) : expectInteger('createBuffer() pageSize', o.pageSize, 1, MAX_PAGE);
  if (size % pageSize !== 0) throw invalidOption('createBuffer() size', `a multiple of the page size ${pageSize}`, size, 'range');
  const layout = o.layout === undefined ? 'INTERLEAVED' : expectOneOf(`createBuffer() layout (runtime ${runtime()})`, o.layout, LAYOUTS[runtime()]);
  let cores: number | undefined;
  if (SHARDED.includes(layout)) {
    const part = partInfo(d.part);
    const banks = type === 'L1' || type === 'L1_SMALL' ? part.l1Banks : part.dramBanks;
    cores = expectInteger('createBuffer() cores', o.cores, 1, banks);
  } else if (o.cores !== undefined) {
    throw invalidOption('createBuffer() cores', `no cores for layout ${layout} (sharded layouts only)`, o.cores, 'range');
  }
  const address = o.address === undefined ? undefined : expectInteger('createBuffer() address', o.address, 0, MAX_SIZE);
  if (address !== undefined && d.kind === 'mesh') {
    throw invalidOption('createBuffer() address', 'no address for a mesh device (use one of its chips)', address, 'range');
  }
  const info = call(() => simNative().createBuffer(d.id, d.isMesh, { size, pageSize, type: MemType[type], layout: LAYOUT_VALUES[layout], cores, address }));
  return new SimBuffer(info, type, address === undefined);
}

export function expectBuffer(option: string, value: unknown): SimBuffer {
  if (!(value instanceof SimBuffer)) throw invalidOption(option, 'a buffer from createBuffer()', value, 'type');
  return value;
}
