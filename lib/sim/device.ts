/** openDevice / openMesh / close: simulated Wormhole n150-like chips and meshes of them (docs/sim.md). */
import { invalidOption } from '../errors';
import { expectInteger, expectKnownKeys, expectObject } from '../validate';
import { call, simNative } from './binding';

/** Per-bank region sizes of a device open (TT-Metal's l1_small_size and trace_region_size). */
export interface DeviceOptions {
  /** L1_SMALL bytes per L1 bank, a multiple of 16 up to 262144. @default 32768 */
  l1SmallSize?: number;
  /** TRACE bytes per DRAM bank, a multiple of 32 up to 268435456 (256 MiB). @default 8388608 */
  traceRegionSize?: number;
}

export interface MeshOptions extends DeviceOptions {
  /** [rows, cols], each 1..8; a T3000 is [2, 4]. */
  shape: [number, number];
}

/** A simulated chip, or a mesh device (id ≥ 1000) over chips 0..N-1. */
export class SimDevice {
  /** @internal */
  constructor(
    readonly id: number,
    readonly kind: 'chip' | 'mesh',
    readonly chips: readonly number[],
    readonly shape: readonly [number, number] | undefined,
  ) {}

  /** Closes the device (a mesh closes its chips). Memory is released without events, as upstream. */
  close(): void {
    call(() => simNative().closeDevice(this.id));
  }
}

const L1_SMALL_MAX = 262144;
const TRACE_MAX = 268435456;

function alignedSize(option: string, value: unknown, alignment: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  expectInteger(option, value, 0, max);
  if ((value as number) % alignment !== 0) {
    throw invalidOption(option, `a multiple of ${alignment} between 0 and ${max}`, value, 'range');
  }
  return value as number;
}

function regionSizes(where: string, o: Record<string, unknown>) {
  return {
    l1SmallSize: alignedSize(`${where} l1SmallSize`, o.l1SmallSize, 16, L1_SMALL_MAX, 32768),
    traceRegionSize: alignedSize(`${where} traceRegionSize`, o.traceRegionSize, 32, TRACE_MAX, 8 * 1024 * 1024),
  };
}

/** Opens one chip with the lowest free chip id. */
export function openDevice(options: DeviceOptions = {}): SimDevice {
  const o = expectObject('openDevice() options', options);
  expectKnownKeys('openDevice()', o, ['l1SmallSize', 'traceRegionSize']);
  const config = regionSizes('openDevice()', o);
  const id = call(() => simNative().openDevice(config));
  return new SimDevice(id, 'chip', [id], undefined);
}

/** Opens a mesh device of rows × cols chips sharing one per-chip-identical allocator. */
export function openMesh(options: MeshOptions): SimDevice {
  const o = expectObject('openMesh() options', options);
  expectKnownKeys('openMesh()', o, ['shape', 'l1SmallSize', 'traceRegionSize']);
  const shape = o.shape;
  if (!Array.isArray(shape) || shape.length !== 2) {
    throw invalidOption('openMesh() shape', 'an array [rows, cols]', shape, 'type');
  }
  const rows = expectInteger('openMesh() shape[0]', shape[0], 1, 8);
  const cols = expectInteger('openMesh() shape[1]', shape[1], 1, 8);
  const config = regionSizes('openMesh()', o);
  const { id, chips } = call(() => simNative().openMesh({ rows, cols, ...config }));
  return new SimDevice(id, 'mesh', chips, [rows, cols]);
}

/** Destroys every program, drops every buffer (reporting frees, as destructors do) and closes every device. */
export function close(): void {
  call(() => simNative().closeAll());
}

export function expectDevice(option: string, value: unknown): SimDevice {
  if (!(value instanceof SimDevice)) {
    throw invalidOption(option, 'a device from openDevice() or openMesh()', value, 'type');
  }
  return value;
}
