/**
 * A Llama-style prefill + decode loop on a mesh, shaped like tt-transformers' demo at small scale:
 * replicated weights and KV cache in DRAM, L1 activations per op, views into fused QKV output, CBs of
 * programs launched through ttnn's device-operation path (one cached program per op name), program
 * pools (a mesh rotary table the user lets go of, and a plain buffer on chip 0 freed explicitly and
 * then reused, so programPoolLateFree reports a late free after address reuse), and a trace buffer.
 * Under each bug mode it shows that mode's pattern (docs/sim.md#workload).
 */
import { createBuffer, type SimBuffer } from '../buffer';
import { runtime } from '../configure';
import { openMesh } from '../device';
import { beginOp, endOp } from '../ops';
import { createProgram, type SimProgram } from '../program';
import { allocatorStats } from '../stats';
import { createTraceBuffer } from '../trace';

export interface WorkloadCounts {
  /** Owning buffers created (MeshBuffers count once). */
  buffers: number;
  /** Of these, plain (non-mesh) buffers on chip 0 of the mesh. */
  chipBuffers: number;
  views: number;
  /** Buffers the user deallocated or let go of (release). */
  deallocations: number;
  programs: number;
  launches: number;
  circularBuffers: number;
  ops: number;
  traces: number;
  /** The simulated allocator's own peak bytes per type on the mesh, read just before teardown. */
  allocatorPeaks: { DRAM: number; L1: number; TRACE: number };
}

// Model dimensions (bytes of bfloat16): a scaled-down Llama so that 80 layers still fit one n150.
const HIDDEN = 1024;
const FFN = 2816;
const SEQ = 128;       // prefill length
const KV_LEN = 512;    // KV cache length
const BF16 = 2;
const TILE = 2048;     // one 32×32 bf16 tile: the page size throughout
const TRACE_BYTES = 2 * 1024 * 1024;
// 2025-06 demos reserve a trace region (trace buffers are TRACE buffers there); since PR #36999 the
// default region of 0 puts them in DRAM, top-down.
const TRACE_REGION_2025 = 8 * 1024 * 1024;

export function llamaDecode(o: { mesh: [number, number]; layers: number; steps: number }): WorkloadCounts {
  const counts: WorkloadCounts = {
    buffers: 0, chipBuffers: 0, views: 0, deallocations: 0, programs: 0, launches: 0, circularBuffers: 0, ops: 0, traces: 0,
    allocatorPeaks: { DRAM: 0, L1: 0, TRACE: 0 },
  };
  const mesh = openMesh({ shape: o.mesh, traceRegionSize: runtime() === '2025-06' ? TRACE_REGION_2025 : 0 });
  const chip0 = mesh.chip(0);
  const programCache = new Map<string, SimProgram>();
  const alloc = (size: number, type: 'DRAM' | 'L1'): SimBuffer => {
    counts.buffers++;
    return createBuffer(mesh, { size, type, pageSize: TILE });
  };
  const free = (b: SimBuffer): void => {
    counts.deallocations++;
    b.deallocate();
  };

  // One program per op name, launched through the device-operation path (the mesh's program cache keeps it).
  const program = (name: string, cbs: number): SimProgram => {
    let p = programCache.get(name);
    if (!p) {
      p = createProgram(mesh);
      for (let i = 0; i < cbs; i++) p.addCircularBuffer({ size: 4 * TILE, cores: 64 });
      counts.programs++;
      counts.circularBuffers += cbs;
      programCache.set(name, p);
    }
    return p;
  };
  const op = <T>(name: string, cbs: number, body: () => T): T => {
    beginOp(name);
    counts.ops++;
    try {
      program(name, cbs).launchOperation();
      counts.launches++;
      return body();
    } finally {
      endOp();
    }
  };

  try {
    // Weights, replicated on every chip.
    const embedding = alloc(32000 * HIDDEN * BF16 / 8, 'DRAM');
    const layers = Array.from({ length: o.layers }, () => ({
      wqkv: alloc(HIDDEN * 3 * HIDDEN * BF16, 'DRAM'),
      wo: alloc(HIDDEN * HIDDEN * BF16, 'DRAM'),
      w13: alloc(HIDDEN * 2 * FFN * BF16, 'DRAM'),
      w2: alloc(FFN * HIDDEN * BF16, 'DRAM'),
      kCache: alloc(KV_LEN * HIDDEN * BF16, 'DRAM'),
      vCache: alloc(KV_LEN * HIDDEN * BF16, 'DRAM'),
    }));
    // Rotary tables live in the rotary program's pool: the user lets go of the mesh table, the pool frees it later.
    const rotary = program('ttnn.experimental.rotary_embedding', 2);
    const rotTable = alloc(KV_LEN * 64 * BF16, 'DRAM');
    rotary.addBuffer(rotTable);
    rotTable.release();
    counts.deallocations++;
    // A plain buffer on chip 0 in a raw program's pool, freed explicitly; a new buffer of its size takes
    // its address (first fit, bottom-up); then the pool is released (2025-06: after the enqueue; since:
    // when the program is destroyed). programPoolLateFree reports the stale free there, after the reuse.
    const cosSin = createProgram(chip0);
    const pooled = createBuffer(chip0, { size: KV_LEN * 64 * BF16, type: 'DRAM', pageSize: TILE });
    cosSin.addBuffer(pooled);
    pooled.deallocate();
    const reuse = createBuffer(chip0, { size: KV_LEN * 64 * BF16, type: 'DRAM', pageSize: TILE });
    cosSin.launch();
    cosSin.destroy();
    reuse.deallocate();
    counts.buffers += 2; counts.chipBuffers += 2; counts.deallocations += 2; counts.programs++; counts.launches++;

    const decoderLayer = (tokens: number, layer: (typeof layers)[number]) => {
      const act = tokens * HIDDEN * BF16;
      const x = op('ttnn.rms_norm', 2, () => alloc(act, 'L1'));
      const qkv = op('ttnn.linear', 3, () => alloc(3 * act, 'L1'));
      // Q, K, V are views into the fused output, as nlp_create_qkv_heads reads them.
      const q = qkv.view(0, act), k = qkv.view(act, act), v = qkv.view(2 * act, act);
      counts.views += 3;
      op('ttnn.experimental.rotary_embedding', 2, () => undefined);
      const attn = op('ttnn.scaled_dot_product_attention', 4, () => alloc(act, 'L1'));
      void layer.kCache; void layer.vCache;
      for (const view of [q, k, v]) view.deallocate();
      free(qkv);
      const out = op('ttnn.linear', 3, () => alloc(act, 'L1'));
      free(attn);
      const h = op('ttnn.mul', 2, () => alloc(tokens * 2 * FFN * BF16, 'L1'));
      const y = op('ttnn.linear', 3, () => alloc(act, 'L1'));
      free(h);
      free(out);
      free(x);
      return y;
    };

    // Prefill over SEQ tokens, chunk of 32 rows of activations in L1.
    let hidden = op('ttnn.embedding', 1, () => alloc(SEQ / 4 * HIDDEN * BF16, 'L1'));
    for (const layer of layers) {
      const next = decoderLayer(SEQ / 4, layer);
      free(hidden);
      hidden = next;
    }
    free(hidden);

    // Decode: the first step is captured into a trace, then replayed.
    const trace = createTraceBuffer(mesh, TRACE_BYTES);
    counts.buffers++;
    counts.traces++;
    for (let step = 0; step < o.steps; step++) {
      let token = op('ttnn.embedding', 1, () => alloc(32 * HIDDEN * BF16, 'L1'));
      for (const layer of layers) {
        const next = decoderLayer(32, layer);
        free(token);
        token = next;
      }
      const logits = op('ttnn.linear', 3, () => alloc(32 * 32000 * BF16 / 8, 'L1'));
      free(token);
      free(logits);
    }
    free(trace);

    for (const layer of layers) for (const b of Object.values(layer)) free(b);
    free(embedding);
    for (const type of ['DRAM', 'L1', 'TRACE'] as const) counts.allocatorPeaks[type] = allocatorStats(mesh, type).peak;
  } finally {
    // Teardown as ttnn test runners do it: drop the program handles, clear the mesh's program cache
    // (MeshDevice::close would not), close the mesh.
    for (const p of programCache.values()) p.destroy();
    mesh.clearProgramCache();
    mesh.close();
  }
  return counts;
}
