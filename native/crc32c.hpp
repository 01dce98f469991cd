// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of journal blocks. SSE4.2's
// crc32 instruction when the CPU has it (~20 GB/s, so checksumming never limits the collector),
// else a byte table. The same function is lib/journal/crc32c.ts; both are tested against RFC 3720's
// vectors.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tt_alloc {

// CRC-32C of `data` continuing from `crc`, the CRC of the bytes before it (0 for none):
// crc32c(crc32c(0, a), b) == crc32c(0, a + b).
uint32_t crc32c(uint32_t crc, const void* data, size_t bytes) noexcept;

}  // namespace tt_alloc
