/**
 * The first frame of a big graph, drawn on a 2D canvas before sigma has drawn anything.
 *
 * On a software GPU sigma's first full frame of a 20k-node / 40k-edge graph costs seconds of JavaScript (indexing
 * and processing every item) and seconds more of SwiftShader shading. The viewer therefore shows this picture first —
 * every node, edge and placed label where sigma will draw them — and lets sigma render behind it (see main.ts,
 * `mountPreview`). `defaultFraming` is sigma 4's graph → viewport mapping at its default camera (autoRescale on,
 * autoRescaleContent "positions", itemSizesReference "screen"), so labels placed with it are the ones sigma draws.
 */
import type { LabelPlacement } from './labels';

export interface Point {
  x: number;
  y: number;
}

/** What label placement needs of a renderer (sigma itself, or the default framing before sigma exists). */
export interface Projector {
  graphToViewport(c: Point): Point;
  scaleSize(size: number): number;
  getDimensions(): { width: number; height: number };
  labels?: Map<string, LabelPlacement>;
}

/**
 * sigma's mapping of graph coordinates to viewport pixels at the default camera (x 0.5, y 0.5, ratio 1, angle 0):
 * the node extent (positions only) normalised into the unit square, then `matrixFromCamera` with the stage padding
 * and sigma's correction ratio. Node sizes are pixels (`itemSizesReference: 'screen'`, zoomToSizeRatio(1) = 1).
 * @example defaultFraming([{x:0,y:0},{x:10,y:0}], 200, 100, 10).graphToViewport({x:10,y:0}) // {x: 180, y: 50}
 */
export function defaultFraming(points: Iterable<Point>, width: number, height: number, padding: number): Projector {
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    if (p.x < minX) minX = p.x;
    if (p.x > maxX) maxX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.y > maxY) maxY = p.y;
  }
  if (minX > maxX) {
    minX = 0;
    maxX = 1;
    minY = 0;
    maxY = 1;
  }
  // createNormalizationFunction
  let ratio = Math.max(maxX - minX, maxY - minY);
  if (ratio === 0 || !Number.isFinite(ratio)) ratio = 1;
  const dX = (maxX + minX) / 2;
  const dY = (maxY + minY) / 2;
  // getCorrectionRatio(viewport, graph dimensions)
  const gw = maxX - minX || 1;
  const gh = maxY - minY || 1;
  const viewportRatio = height / width;
  const graphRatio = gh / gw;
  const correction =
    (viewportRatio < 1 && graphRatio > 1) || (viewportRatio > 1 && graphRatio < 1)
      ? 1
      : Math.min(Math.max(graphRatio, 1 / graphRatio), Math.max(1 / viewportRatio, viewportRatio));
  // matrixFromCamera: scale 2 · smallest / (width | height) · correction, camera at (0.5, 0.5), ratio 1; then
  // framedGraphToViewport: x = (1 + v.x) · width / 2, y = (1 − v.y) · height / 2.
  const smallest = Math.min(width, height) - 2 * padding;
  const k = (smallest * correction) / ratio;
  return {
    graphToViewport: (c) => ({ x: width / 2 + k * (c.x - dX), y: height / 2 - k * (c.y - dY) }),
    scaleSize: (size) => size,
    getDimensions: () => ({ width, height }),
  };
}

export interface PreviewNode {
  x: number;
  y: number;
  size: number;
  color: string;
  label: string | undefined;
  /** Placed label side (undefined: no label). */
  position: LabelPlacement['position'] | undefined;
  zIndex: number;
}

export interface PreviewEdge {
  source: string;
  target: string;
  color: string;
  size: number;
  zIndex: number;
}

/** Label font and margin as sigma draws node labels (and as labels.ts measures them). */
const LABEL_FONT = '14px sans-serif';
const LABEL_MARGIN = 5;

/**
 * Draws nodes (viewport pixels), edges (straight, with arrow heads at the target's border) and labels on `canvas`
 * (sized `width` × `height` CSS pixels at `dpr`), edges grouped by colour and width so each group is one path.
 */
export function drawPreview(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  dpr: number,
  nodes: Map<string, PreviewNode>,
  edges: Iterable<PreviewEdge>,
): void {
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  // Edges: per (z, colour, width) one path of lines and one of arrow heads.
  const groups = new Map<string, { z: number; color: string; size: number; lines: number[] }>();
  for (const e of edges) {
    const s = nodes.get(e.source);
    const t = nodes.get(e.target);
    if (s === undefined || t === undefined) continue;
    const key = `${e.zIndex}|${e.color}|${e.size}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { z: e.zIndex, color: e.color, size: e.size, lines: [] };
      groups.set(key, g);
    }
    g.lines.push(s.x, s.y, t.x, t.y, t.size);
  }
  ctx.lineCap = 'butt';
  for (const g of [...groups.values()].sort((a, b) => a.z - b.z)) {
    const lines = new Path2D();
    const heads = new Path2D();
    // Arrow head: sigma's extremityArrow is about 2.5 × the edge width long and 2 × wide (at least a few pixels).
    const len = Math.max(5, g.size * 2.5);
    const half = Math.max(2, g.size);
    for (let i = 0; i < g.lines.length; i += 5) {
      const x1 = g.lines[i]!;
      const y1 = g.lines[i + 1]!;
      const x2 = g.lines[i + 2]!;
      const y2 = g.lines[i + 3]!;
      const r = g.lines[i + 4]!;
      const dx = x2 - x1;
      const dy = y2 - y1;
      const d = Math.hypot(dx, dy);
      if (d <= r + len) {
        lines.moveTo(x1, y1);
        lines.lineTo(x2, y2);
        continue;
      }
      const ux = dx / d;
      const uy = dy / d;
      const tipX = x2 - ux * r;
      const tipY = y2 - uy * r;
      const baseX = tipX - ux * len;
      const baseY = tipY - uy * len;
      lines.moveTo(x1, y1);
      lines.lineTo(baseX, baseY);
      heads.moveTo(tipX, tipY);
      heads.lineTo(baseX - uy * half, baseY + ux * half);
      heads.lineTo(baseX + uy * half, baseY - ux * half);
      heads.closePath();
    }
    ctx.strokeStyle = g.color;
    ctx.lineWidth = g.size;
    ctx.stroke(lines);
    ctx.fillStyle = g.color;
    ctx.fill(heads);
  }
  // Nodes in sigma's order (z, then graph order), one fill per disc (one path of 20k circles rasterises several times
  // slower).
  const order = [...nodes.values()].sort((a, b) => a.zIndex - b.zIndex);
  let fill = '';
  for (const n of order) {
    if (n.color !== fill) {
      fill = n.color;
      ctx.fillStyle = fill;
    }
    ctx.beginPath();
    ctx.arc(n.x, n.y, n.size, 0, Math.PI * 2);
    ctx.fill();
  }
  // Labels where placeLabels put them.
  ctx.font = LABEL_FONT;
  ctx.fillStyle = '#000000';
  for (const n of nodes.values()) {
    if (n.position === undefined || n.label === undefined) continue;
    const w = ctx.measureText(n.label).width;
    const gap = n.size + LABEL_MARGIN;
    let x = n.x + gap;
    let y = n.y;
    ctx.textBaseline = 'middle';
    if (n.position === 'left') x = n.x - gap - w;
    else if (n.position === 'below' || n.position === 'above') {
      x = n.x - w / 2;
      y = n.position === 'below' ? n.y + gap + 8 : n.y - gap - 8;
    }
    ctx.fillText(n.label, x, y);
  }
}
