/** openDevice / openMesh / close: simulated n150, n300 and p150 chips and meshes of them (docs/sim.md). */
import { invalidOption } from '../errors';
import { expectInteger, expectKnownKeys, expectObject, expectOneOf } from '../validate';
import { call, simNative, type NativePart } from './binding';

export const PARTS = ['n150', 'n300', 'p150'] as const;
export type SimPart = (typeof PARTS)[number];

/** A device open's options (TT-Metal's CreateDevice / MeshDevice::create arguments). */
export interface DeviceOptions {
  /** The part simulated. @default 'n150' */
  part?: SimPart;
  /** L1_SMALL bytes per L1 bank, a multiple of 16 up to 262144. @default 0 (upstream DEFAULT_L1_SMALL_SIZE) */
  l1SmallSize?: number;
  /** Trace region bytes per DRAM bank, a multiple of the DRAM alignment up to 268435456. @default 0 (upstream DEFAULT_TRACE_REGION_SIZE) */
  traceRegionSize?: number;
}

export interface MeshOptions extends DeviceOptions {
  /** [rows, cols], each 1..8; a T3000 is [2, 4]. */
  shape: [number, number];
}

/** A simulated chip, or a mesh device over chips. A mesh and a chip may share an id: `kind` tells them apart. */
export class SimDevice {
  /** @internal */
  constructor(
    readonly id: number,
    readonly kind: 'chip' | 'mesh',
    readonly chips: readonly number[],
    readonly shape: readonly [number, number] | undefined,
    readonly part: SimPart,
  ) {}

  /** @internal */
  get isMesh(): boolean {
    return this.kind === 'mesh';
  }

  /** The chip at row-major `index` of a mesh (a chip: index 0 is itself). */
  chip(index: number): SimDevice {
    const i = expectInteger('chip() index', index, 0, this.chips.length - 1);
    if (this.kind === 'chip') return this;
    return new SimDevice(this.chips[i], 'chip', [this.chips[i]], undefined, this.part);
  }

  /**
   * Closes the device. A chip (Device::close) first clears its program cache while still initialized, so
   * the cached programs' frees are reported; a mesh (MeshDevice::close) does not, and closes its chips.
   * Memory still allocated is then released without events, as upstream.
   */
  close(): void {
    call(() => simNative().closeDevice(this.id, this.isMesh));
  }

  /** disable_and_clear_program_cache(): destroys the programs the device-operation path cached here. */
  clearProgramCache(): void {
    call(() => simNative().clearProgramCache(this.id, this.isMesh));
  }
}

const L1_SMALL_MAX = 262144;
const TRACE_MAX = 268435456;

/** The part constants, with the current generation's L1 unreserved base. */
export function partInfo(part: SimPart): NativePart {
  const name = expectOneOf('partInfo() part', part, PARTS);
  return call(() => simNative().parts()).find((p) => p.name === name)!;
}

function alignedSize(option: string, value: unknown, alignment: number, max: number): number {
  if (value === undefined) return 0;
  expectInteger(option, value, 0, max);
  if ((value as number) % alignment !== 0) {
    throw invalidOption(option, `a multiple of ${alignment} between 0 and ${max}`, value, 'range');
  }
  return value as number;
}

function deviceConfig(where: string, o: Record<string, unknown>) {
  const part = o.part === undefined ? 'n150' : expectOneOf(`${where} part`, o.part, PARTS);
  const info = partInfo(part);
  return {
    part,
    l1SmallSize: alignedSize(`${where} l1SmallSize`, o.l1SmallSize, info.l1Alignment, L1_SMALL_MAX),
    traceRegionSize: alignedSize(`${where} traceRegionSize`, o.traceRegionSize, info.dramAlignment, TRACE_MAX),
  };
}

/** Opens one chip with the lowest free chip id. */
export function openDevice(options: DeviceOptions = {}): SimDevice {
  const o = expectObject('openDevice() options', options);
  expectKnownKeys('openDevice()', o, ['part', 'l1SmallSize', 'traceRegionSize']);
  const config = deviceConfig('openDevice()', o);
  const id = call(() => simNative().openDevice(config));
  return new SimDevice(id, 'chip', [id], undefined, config.part);
}

/**
 * Opens a mesh device of rows × cols chips sharing one per-chip-identical allocator. Its id comes from
 * upstream's generate_unique_mesh_id(): a process-wide counter from 0, so the first mesh is mesh 0.
 */
export function openMesh(options: MeshOptions): SimDevice {
  const o = expectObject('openMesh() options', options);
  expectKnownKeys('openMesh()', o, ['shape', 'part', 'l1SmallSize', 'traceRegionSize']);
  const shape = o.shape;
  if (!Array.isArray(shape) || shape.length !== 2) {
    throw invalidOption('openMesh() shape', 'an array [rows, cols]', shape, 'type');
  }
  const rows = expectInteger('openMesh() shape[0]', shape[0], 1, 8);
  const cols = expectInteger('openMesh() shape[1]', shape[1], 1, 8);
  const config = deviceConfig('openMesh()', o);
  const { id, chips } = call(() => simNative().openMesh({ rows, cols, ...config }));
  return new SimDevice(id, 'mesh', chips, [rows, cols], config.part);
}

/**
 * Destroys every program handle, drops every buffer handle (reporting frees, as destructors do) and
 * closes every device (meshes first, then chips; see SimDevice.close).
 */
export function close(): void {
  call(() => simNative().closeAll());
}

export function expectDevice(option: string, value: unknown): SimDevice {
  if (!(value instanceof SimDevice)) {
    throw invalidOption(option, 'a device from openDevice() or openMesh()', value, 'type');
  }
  return value;
}
