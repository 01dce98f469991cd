/** createBuffer: owning buffers (MeshBuffers on a mesh), non-owning buffers at an address, views. */
import { invalidOption } from '../errors';
import { MemType } from '../events/format';
import { expectInteger, expectKnownKeys, expectObject, expectOneOf } from '../validate';
import { call, simNative, type NativeBufferInfo } from './binding';
import { expectDevice, type SimDevice } from './device';

export const BUFFER_TYPES = ['DRAM', 'L1', 'L1_SMALL', 'TRACE'] as const;
export type SimBufferType = (typeof BUFFER_TYPES)[number];

/** One bfloat16 32×32 tile: TT-Metal's usual page. */
export const DEFAULT_PAGE_SIZE = 2048;
const MAX_SIZE = 2 ** 40;
const MAX_PAGE = 2 ** 31;

export interface BufferOptions {
  /** Bytes, 0..2^40. Zero-size buffers take no memory and report nothing (upstream). */
  size: number;
  type: SimBufferType;
  /** Bytes per page, 1..2^31. @default 2048 */
  pageSize?: number;
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

  /** TT-Metal's Buffer::unique_id (for a mesh buffer: its backing buffer's). */
  get id(): number { return this.info.id; }
  get address(): number { return this.info.address; }
  get size(): number { return this.info.size; }
  get pageSize(): number { return this.info.pageSize; }
  /** Device id: a chip id, or the mesh id for a mesh buffer. */
  get device(): number { return this.info.device; }
  /** Bytes this buffer occupies in each bank (interleaved: ceil(pages / banks) × pageSize, aligned). */
  get sizePerBank(): number { return this.info.sizePerBank; }

  /** A non-owning view of [offset, offset + size) that keeps this buffer's memory alive. */
  view(offset: number, size: number): SimBuffer {
    expectInteger('view() offset', offset, 0, this.size);
    expectInteger('view() size', size, 0, this.size - offset);
    return new SimBuffer(call(() => simNative().view(this.id, offset, size)), this.type, false);
  }

  /** Frees now (a mesh buffer: replicas first, then the backing buffer unless a program or view still holds it). */
  deallocate(): void {
    call(() => simNative().deallocate(this.id));
  }
}

export function createBuffer(device: SimDevice, options: BufferOptions): SimBuffer {
  const d = expectDevice('createBuffer() device', device);
  const o = expectObject('createBuffer() options', options);
  expectKnownKeys('createBuffer()', o, ['size', 'type', 'pageSize', 'address']);
  const size = expectInteger('createBuffer() size', o.size, 0, MAX_SIZE);
  const type = expectOneOf('createBuffer() type', o.type, BUFFER_TYPES);
  const pageSize = o.pageSize === undefined ? DEFAULT_PAGE_SIZE : expectInteger('createBuffer() pageSize', o.pageSize, 1, MAX_PAGE);
  const address = o.address === undefined ? undefined : expectInteger('createBuffer() address', o.address, 0, MAX_SIZE);
  if (address !== undefined && d.kind === 'mesh') {
    throw invalidOption('createBuffer() address', 'no address for a mesh device (use one of its chips)', address, 'range');
  }
  const info = call(() => simNative().createBuffer(d.id, { size, pageSize, type: MemType[type], address }));
  return new SimBuffer(info, type, address === undefined);
}

export function expectBuffer(option: string, value: unknown): SimBuffer {
  if (!(value instanceof SimBuffer)) throw invalidOption(option, 'a buffer from createBuffer()', value, 'type');
  return value;
}
