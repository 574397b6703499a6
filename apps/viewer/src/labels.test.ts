import { describe, expect, it } from 'vitest';
import { type LabelCandidate, labelBox, placeLabels } from './labels';

const view = { width: 800, height: 600 };
const c = (key: string, x: number, y: number, priority = 5, size = 4, width = 100): LabelCandidate => ({
  key,
  x,
  y,
  radius: size,
  width,
  priority,
  size,
});

describe('placeLabels', () => {
  it('keeps the more important of two overlapping labels', () => {
    // b sits 50 px right of a on the same row: a's 100 px label runs over b's right side, so b's goes left.
    const two = placeLabels([c('b', 150, 100, 5, 10), c('a', 100, 100, 1, 2)], view);
    expect(two.get('a')).toEqual({ position: 'right', short: false });
    expect(two.get('b')?.position).not.toBe('right');
    // Hemmed in on every side: the less important one gets no label, or its short form.
    const row = [
      c('a', 100, 100, 0, 4, 300),
      c('b', 130, 100, 5, 4, 300),
      c('x', 130, 80, 0, 1, 10),
      c('y', 130, 120, 0, 1, 10),
    ];
    expect(placeLabels(row, view).has('b')).toBe(false);
    const short = placeLabels([...row.slice(0, 1), { ...row[1]!, x: 60, shortWidth: 20 }], view);
    expect(short.get('b')).toEqual({ position: 'right', short: true });
    // Rows 20 px apart do not collide.
    expect(placeLabels([c('a', 100, 100), c('b', 100, 120)], view).size).toBe(2);
    // Near the right edge the label goes left, inside the viewport.
    expect(placeLabels([c('a', 780, 100)], view).get('a')?.position).toBe('left');
  });

  it('never places two overlapping boxes, and skips what is off screen', () => {
    let s = 7;
    const rand = () => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s / 2 ** 31;
    };
    const many = Array.from({ length: 2000 }, (_, i) =>
      c(`n${i}`, rand() * 1000 - 100, rand() * 800 - 100, Math.floor(rand() * 6), 1 + rand() * 8, 40 + rand() * 160),
    );
    const placed = placeLabels(many, { ...view, max: 10_000 });
    const boxes = many.filter((m) => placed.has(m.key)).map((m) => labelBox(m, m.width, placed.get(m.key)!.position));
    expect(boxes.length).toBeGreaterThan(50);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        expect(a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2).toBe(false);
      }
    for (const b of boxes) {
      expect(b.x1).toBeGreaterThanOrEqual(0);
      expect(b.x2).toBeLessThanOrEqual(800);
      expect(b.y1).toBeGreaterThanOrEqual(0);
      expect(b.y2).toBeLessThanOrEqual(600);
    }
    expect(placeLabels(many, { ...view, max: 10 }).size).toBe(10);
  });
});
