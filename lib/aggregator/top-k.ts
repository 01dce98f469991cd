/**
 * The first `k` items of a list in `compare` order without sorting the whole list: a bounded heap
 * whose root is the last item kept. report() lists the 1,000 largest of up to 100,000s of live
 * buffers; a full comparator sort of 100,000 buffers took over 100 ms (scripts/bench-aggregator.js),
 * this takes one comparison for most items.
 */
export function topK<T>(items: readonly T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  if (items.length <= k) return [...items].sort(compare);
  const heap: T[] = [];
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      siftUp(heap, heap.length - 1, compare);
    } else if (compare(item, heap[0]) < 0) {
      heap[0] = item;
      siftDown(heap, compare);
    }
  }
  return heap.sort(compare);
}

/** Max-heap in `compare` order: a parent sorts after (or with) its children. */
function siftUp<T>(heap: T[], i: number, compare: (a: T, b: T) => number): void {
  const item = heap[i];
  while (i > 0) {
    const parent = (i - 1) >>> 1;
    if (compare(heap[parent], item) >= 0) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = item;
}

function siftDown<T>(heap: T[], compare: (a: T, b: T) => number): void {
  const n = heap.length;
  const item = heap[0];
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && compare(heap[child + 1], heap[child]) > 0) child++;
    if (compare(heap[child], item) <= 0) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = item;
}
