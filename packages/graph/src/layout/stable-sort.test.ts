import { describe, expect, it } from 'vitest';
import { stableSort } from './stable-sort';

describe('stableSort', () => {
  it('orders as Array.prototype.sort with the same comparator, ties (many) in their order', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const size of [0, 1, 2, 15, 16, 17, 33, 100, 1000, 5000]) {
      const key1 = Float64Array.from({ length: size }, () => Math.floor(rand() * 10) / 4 - 1);
      const key2 = Float64Array.from({ length: size }, () => (rand() < 0.5 ? 0 : Math.floor(rand() * 3)));
      const from = size > 10 ? 3 : 0;
      const items = Int32Array.from({ length: size }, (_, i) => size - 1 - i);
      const expected = Array.from(items.subarray(from));
      expected.sort((x, y) => key1[x]! - key1[y]! || key2[x]! - key2[y]!);
      const head = Array.from(items.subarray(0, from));
      stableSort(items, from, size, key1, key2, new Int32Array(size));
      expect(Array.from(items.subarray(from))).toEqual(expected);
      expect(Array.from(items.subarray(0, from))).toEqual(head);
    }
  });
});
