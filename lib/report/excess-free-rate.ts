/**
 * The excess free rate: frees that no lifecycle explains (doubleFree + staleFree + untrackedFree),
 * per allocation. 0 with no allocations; never negative. It is the socket-fed allocation server's "N% more frees
 * than allocations" (docs/sim.md#bug-modes) without its two errors: frees of views and mesh replicas (explained aliases) do not
 * count, and a leak (an allocation never freed) cannot hide an excess free or make the rate negative.
 */
export function excessFreeRate(suspiciousFrees: number, allocs: number): number {
  return allocs === 0 ? 0 : suspiciousFrees / allocs;
}
