import { describe, expect, it } from 'vitest';
import { defaultFraming } from './preview';

describe('defaultFraming (sigma 4 default camera)', () => {
  it('fits the node extent inside the padded viewport, centred, y up', () => {
    const f = defaultFraming(
      [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 5, y: 2 },
      ],
      200,
      100,
      10,
    );
    expect(f.graphToViewport({ x: 10, y: 0 })).toEqual({ x: 180, y: 66 });
    expect(f.graphToViewport({ x: 0, y: 0 })).toEqual({ x: 20, y: 66 });
    expect(f.graphToViewport({ x: 5, y: 2 }).y).toBeCloseTo(34);
    expect(f.scaleSize(4)).toBe(4);
    expect(f.getDimensions()).toEqual({ width: 200, height: 100 });
  });
});
