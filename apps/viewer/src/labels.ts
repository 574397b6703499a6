/**
 * Label placement without overlap. sigma 4 picks labels with a grid (`labelGridCellSize` / `labelDensity`: the biggest
 * node of each cell), which knows nothing of how long a label is, and draws every forced label regardless: in a
 * hop-layered drawing, long `address · entity name` labels of neighbouring columns pile up. The viewer instead decides
 * itself, after each camera move, which labels to draw: greedily, most important first, each one only where its box
 * is still free on screen.
 */

/** One node that could show a label, in viewport pixels. */
export interface LabelCandidate {
  key: string;
  /** Node centre and drawn radius on screen. */
  x: number;
  y: number;
  radius: number;
  /** Label width in pixels. */
  width: number;
  /** Width of the short form of the label (the address alone), tried when the full one fits nowhere. */
  shortWidth?: number;
  /** Lower goes first (selected, path, seeds, … before the rest); ties: bigger node first, then key. */
  priority: number;
  size: number;
}

export type LabelSide = 'right' | 'left' | 'below' | 'above';

/** Where a placed label goes (sigma's `labelPosition`) and whether it is the short form. */
export interface LabelPlacement {
  position: LabelSide;
  short: boolean;
}

export interface LabelPlacementOptions {
  /** Viewport size: labels must fit inside it. */
  width: number;
  height: number;
  /** Label box height (font size plus a little). Default 16. */
  lineHeight?: number;
  /** Gap between a node's edge and its label (sigma's label margin). Default 5. */
  margin?: number;
  /** Most labels to draw. Default 500. */
  max?: number;
}

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

const CELL = 64;
const SIDES: readonly LabelSide[] = ['right', 'left', 'below', 'above'];

/** The screen box of a label of width `w` on `side` of a node (as sigma draws it: 5 px margin, centred). */
export function labelBox(c: LabelCandidate, w: number, side: LabelSide, lineHeight = 16, margin = 5): Box {
  const gap = c.radius + margin;
  switch (side) {
    case 'right':
      return { x1: c.x + gap, y1: c.y - lineHeight / 2, x2: c.x + gap + w, y2: c.y + lineHeight / 2 };
    case 'left':
      return { x1: c.x - gap - w, y1: c.y - lineHeight / 2, x2: c.x - gap, y2: c.y + lineHeight / 2 };
    case 'below':
      return { x1: c.x - w / 2, y1: c.y + gap, x2: c.x + w / 2, y2: c.y + gap + lineHeight };
    case 'above':
      return { x1: c.x - w / 2, y1: c.y - gap - lineHeight, x2: c.x + w / 2, y2: c.y - gap };
  }
}

/**
 * The labels that fit without overlapping one placed before them and inside the viewport: for each candidate (most
 * important first) the full label right, left, below or above its node, else the short label right or left, else
 * none.
 * @example placeLabels([{ key: 'a', x: 10, y: 10, radius: 4, width: 80, priority: 0, size: 4 }], { width: 800, height: 600 })
 */
export function placeLabels(
  candidates: readonly LabelCandidate[],
  options: LabelPlacementOptions,
): Map<string, LabelPlacement> {
  const lineHeight = options.lineHeight ?? 16;
  const margin = options.margin ?? 5;
  const max = options.max ?? 500;
  const sorted = candidates
    .filter((c) => c.x >= 0 && c.x <= options.width && c.y >= 0 && c.y <= options.height)
    .sort((a, b) => a.priority - b.priority || b.size - a.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const grid = new Map<string, Box[]>();
  const cells = (b: Box, visit: (id: string) => boolean | undefined): boolean => {
    for (let cx = Math.floor(b.x1 / CELL); cx <= Math.floor(b.x2 / CELL); cx++) {
      for (let cy = Math.floor(b.y1 / CELL); cy <= Math.floor(b.y2 / CELL); cy++) {
        if (visit(`${cx},${cy}`) === true) return true;
      }
    }
    return false;
  };
  const free = (b: Box) =>
    b.x1 >= 0 &&
    b.y1 >= 0 &&
    b.x2 <= options.width &&
    b.y2 <= options.height &&
    !cells(b, (id) => grid.get(id)?.some((o) => o.x1 < b.x2 && b.x1 < o.x2 && o.y1 < b.y2 && b.y1 < o.y2));
  const placed = new Map<string, LabelPlacement>();
  for (const c of sorted) {
    if (placed.size >= max) break;
    const tries: [LabelSide, boolean, number][] = SIDES.map((side) => [side, false, c.width]);
    if (c.shortWidth !== undefined && c.shortWidth < c.width) {
      tries.push(['right', true, c.shortWidth], ['left', true, c.shortWidth]);
    }
    for (const [side, short, w] of tries) {
      const raw = labelBox(c, w, side, lineHeight, margin);
      const box = { x1: raw.x1 - 2, y1: raw.y1, x2: raw.x2 + 2, y2: raw.y2 };
      if (!free(box)) continue;
      cells(box, (id) => {
        const list = grid.get(id);
        if (list === undefined) grid.set(id, [box]);
        else list.push(box);
        return undefined;
      });
      placed.set(c.key, { position: side, short });
      break;
    }
  }
  return placed;
}
