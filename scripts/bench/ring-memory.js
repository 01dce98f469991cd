'use strict';
// Ring and spill memory by capacity, computed from the real sizes: a ring slot is one Event (64 B,
// native/event.hpp, reported by the addon as recordBytes); the spill grows in 1 MiB chunks of 16,384
// events (native/collector.hpp Chunk::kEvents) up to spillCapacity; 16 emptied chunks are kept for reuse.
const { native } = require('../../dist/native');
const { DEFAULT_OPTIONS } = require('../../dist/options');

const CHUNK_EVENTS = 16384;
const POOL_CHUNKS = 16;
const CAPACITIES = [4096, 65536, 262144, DEFAULT_OPTIONS.ringCapacity, 4194304];

function ringMemory() {
  const slotBytes = native().recordBytes;
  const chunkBytes = CHUNK_EVENTS * slotBytes;
  const spillChunks = Math.max(1, Math.ceil(DEFAULT_OPTIONS.spillCapacity / CHUNK_EVENTS));
  return {
    slotBytes,
    rings: CAPACITIES.map((capacity) => ({ capacity, bytes: capacity * slotBytes, isDefault: capacity === DEFAULT_OPTIONS.ringCapacity })),
    spill: {
      defaultCapacityEvents: DEFAULT_OPTIONS.spillCapacity,
      chunkEvents: CHUNK_EVENTS,
      chunkBytes,
      maxBytes: spillChunks * chunkBytes,
      pooledBytesAfterBurst: Math.min(POOL_CHUNKS, spillChunks) * chunkBytes,
    },
  };
}

module.exports = { ringMemory };
