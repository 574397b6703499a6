/**
 * Sorts `items[from … to)` by `key1[item]`, then `key2[item]`, keeping the order of ties (stable): a bottom-up merge
 * sort on typed arrays with the comparison inlined. It orders exactly as `Array.prototype.sort` with the comparator
 * `key1[x] - key1[y] || key2[x] - key2[y]` (also stable), without copying to a JS array and calling a comparator
 * closure per comparison: the layout sorts every column several times, hundreds of thousands of nodes per sweep on
 * big graphs. `buffer` holds at least `to − from` items.
 */
export function stableSort(
  items: Int32Array,
  from: number,
  to: number,
  key1: Float64Array,
  key2: Float64Array,
  buffer: Int32Array,
): void {
  const size = to - from;
  // x goes after y: the comparator above would be > 0 (a NaN difference counts as a tie, as it does for sort).
  const after = (x: number, y: number) => {
    const d = key1[x]! - key1[y]!;
    return d > 0 || ((d === 0 || Number.isNaN(d)) && key2[x]! - key2[y]! > 0);
  };
  // Runs of 16 by insertion sort, then merges of doubling width between `items` and `buffer`.
  const RUN = 16;
  for (let lo = from; lo < to; lo += RUN) {
    const hi = Math.min(lo + RUN, to);
    for (let i = lo + 1; i < hi; i++) {
      const x = items[i]!;
      let j = i - 1;
      while (j >= lo && after(items[j]!, x)) {
        items[j + 1] = items[j]!;
        j--;
      }
      items[j + 1] = x;
    }
  }
  let src = items;
  let dst = buffer;
  let srcOff = from;
  let dstOff = 0;
  for (let width = RUN; width < size; width *= 2) {
    for (let lo = 0; lo < size; lo += 2 * width) {
      const mid = Math.min(lo + width, size);
      const hi = Math.min(lo + 2 * width, size);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // the left one first unless the right one goes strictly before it
        if (after(src[srcOff + i]!, src[srcOff + j]!)) dst[dstOff + k++] = src[srcOff + j++]!;
        else dst[dstOff + k++] = src[srcOff + i++]!;
      }
      while (i < mid) dst[dstOff + k++] = src[srcOff + i++]!;
      while (j < hi) dst[dstOff + k++] = src[srcOff + j++]!;
    }
    [src, dst] = [dst, src];
    [srcOff, dstOff] = [dstOff, srcOff];
  }
  if (src !== items) items.set(src.subarray(srcOff, srcOff + size), from);
}
