/** runWorkload: named, deterministic workloads on the simulated runtime (the demo and soak tests). */
import { expectKnownKeys, expectObject, expectOneOf, expectInteger } from '../validate';
import { invalidOption } from '../errors';
import { llamaDecode, type WorkloadCounts } from './workloads/llama-decode';

export type { WorkloadCounts } from './workloads/llama-decode';

export const WORKLOADS = ['llama-decode'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export interface WorkloadOptions {
  /** Mesh shape [rows, cols], each 1..8. @default [2, 4] (a T3000) */
  mesh?: [number, number];
  /** Decoder layers, 1..80. @default 4 */
  layers?: number;
  /** Decode steps after the prefill, 0..10000. @default 8 */
  steps?: number;
}

/**
 * Runs the workload to completion and tears everything down (every buffer freed, every program
 * destroyed, the mesh closed), so under upstream semantics no buffer is left live. Returns how many
 * of each operation it did.
 */
export function runWorkload(name: WorkloadName, options: WorkloadOptions = {}): WorkloadCounts {
  const workload = expectOneOf('runWorkload() name', name, WORKLOADS);
  const o = expectObject('runWorkload() options', options);
  expectKnownKeys('runWorkload()', o, ['mesh', 'layers', 'steps']);
  let mesh: [number, number] = [2, 4];
  if (o.mesh !== undefined) {
    if (!Array.isArray(o.mesh) || o.mesh.length !== 2) throw invalidOption('runWorkload() mesh', 'an array [rows, cols]', o.mesh, 'type');
    mesh = [expectInteger('runWorkload() mesh[0]', o.mesh[0], 1, 8), expectInteger('runWorkload() mesh[1]', o.mesh[1], 1, 8)];
  }
  const layers = o.layers === undefined ? 4 : expectInteger('runWorkload() layers', o.layers, 1, 80);
  const steps = o.steps === undefined ? 8 : expectInteger('runWorkload() steps', o.steps, 0, 10000);
  switch (workload) {
    case 'llama-decode':
      return llamaDecode({ mesh, layers, steps });
  }
}
