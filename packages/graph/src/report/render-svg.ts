import type { PolicyName } from '@fundflow/core';
import { MultiDirectedGraph } from 'graphology';
import { formatUnits } from '../amount';
import { escapeXml } from '../export/xml-text';
import { type LayeredLayout, type LayeredLayoutOptions, layeredLayout } from '../layout/layered-layout';
import type { FlowEdgeAttributes, FlowGraph, FlowGraphAttributes, FlowNodeAttributes } from '../types';

/** Fill colour per label category (unlabelled: grey). */
export const CATEGORY_COLORS: Record<string, string> = {
  victim: '#1f77b4',
  attacker: '#d62728',
  exchange: '#2ca02c',
  mixer: '#9467bd',
  bridge: '#8c564b',
  sanctioned: '#000000',
  service: '#17becf',
  tagged: '#ff7f0e',
  other: '#7f7f7f',
  '': '#b0b0b0',
};

export interface RenderSvgOptions extends LayeredLayoutOptions {
  /** Policy whose tainted amounts set the edge widths (default: the graph's first policy). */
  policy?: PolicyName;
  /** Draw at most this many nodes: the seeds, the stop points and the nodes that received the most (default 400). */
  maxNodes?: number;
}

/**
 * Keeps the `maxNodes` most important nodes of a graph for drawing: seeds and labelled nodes first, then the nodes that
 * received the most traced value under `policy`; edges between kept nodes stay. Returns the graph itself when small.
 * @example const drawn = focusGraph(graph, 'fifo', 400)
 */
export function focusGraph(graph: FlowGraph, policy: PolicyName, maxNodes: number): FlowGraph {
  if (graph.order <= maxNodes) return graph;
  const scored: { key: string; rank: number; amount: bigint }[] = [];
  graph.forEachNode((key, a) => {
    const r = a as Record<string, unknown>;
    const amount =
      BigInt((r[`in_${policy}`] as string | undefined) || '0') + BigInt((r[`out_${policy}`] as string) || '0');
    const rank = a.seed
      ? 0
      : a.category !== ''
        ? 1
        : ((r[`cashout_${policy}`] as string | undefined) ?? '0') !== '0'
          ? 2
          : 3;
    scored.push({ key, rank, amount });
  });
  scored.sort(
    (a, b) => a.rank - b.rank || (a.amount > b.amount ? -1 : a.amount < b.amount ? 1 : a.key < b.key ? -1 : 1),
  );
  const keep = new Set(scored.slice(0, maxNodes).map((s) => s.key));
  const out: FlowGraph = new MultiDirectedGraph<FlowNodeAttributes, FlowEdgeAttributes, FlowGraphAttributes>({
    allowSelfLoops: true,
  });
  out.replaceAttributes(graph.getAttributes());
  graph.forEachNode((key, a) => {
    if (keep.has(key)) out.addNode(key, a);
  });
  graph.forEachEdge((key, a, s, t) => {
    if (keep.has(s) && keep.has(t)) out.addDirectedEdgeWithKey(key, s, t, a);
  });
  return out;
}

/** A short form of a long address or txid for drawing: `bcrt1q4q…jvpy`. */
export function shortId(id: string): string {
  return id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}

/**
 * Static SVG of the hop-layered graph: seeds at the left, each column a hop, edge width by the traced amount, node
 * colour by label category, labelled nodes named, every transfer and address in a `<title>`. All text is escaped;
 * no scripts, no external references.
 * @example writeFileSync('case.svg', renderSvg(graph, { policy: 'fifo' }))
 */
export function renderSvg(graph: FlowGraph, options: RenderSvgOptions = {}): string {
  const attrs = graph.getAttributes();
  const policy = options.policy ?? ((attrs.policies.split(',')[0] || 'fifo') as PolicyName);
  const drawn = focusGraph(graph, policy, options.maxNodes ?? 400);
  const layout: LayeredLayout = layeredLayout(drawn, { layerGap: 160, nodeGap: 22, ...options });
  const { minX, maxX, minY, maxY } = layout.bounds;
  const margin = { left: 40, right: 240, top: 50, bottom: 60 };
  const width = Math.ceil(maxX - minX + margin.left + margin.right);
  const height = Math.ceil(maxY - minY + margin.top + margin.bottom);
  const px = (x: number) => round(x - minX + margin.left);
  const py = (y: number) => round(y - minY + margin.top);
  const index = new Map<string, number>();
  for (let i = 0; i < layout.nodes.length; i++) index.set(layout.nodes[i]!, i);
  const key = `taint_${policy}` as const;
  let max = 1n;
  drawn.forEachEdge((_k, a) => {
    const v = BigInt(a[key] ?? '0');
    if (v > max) max = v;
  });
  const logMax = Math.log10(Number(max) + 1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(`${attrs.chain} ${attrs.symbol}: traced flow (${policy}), ${drawn.order} of ${graph.order} nodes`)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (options.x !== 'time') {
    for (let l = 0; l < layout.layers; l++) {
      out.push(
        `<text x="${px(l * (options.layerGap ?? 160))}" y="20" text-anchor="middle" fill="#555">hop ${l}</text>`,
      );
    }
  }
  out.push('<g fill="none" stroke-linecap="round">');
  drawn.forEachEdge((k, a, s, t) => {
    const i = index.get(s)!;
    const j = index.get(t)!;
    const x1 = px(layout.x[i]!);
    const y1 = py(layout.y[i]!);
    const x2 = px(layout.x[j]!);
    const y2 = py(layout.y[j]!);
    const v = BigInt(a[key] ?? '0');
    const widthPx = v > 0n ? round(0.6 + (7 * Math.log10(Number(v) + 1)) / logMax) : 0.5;
    const stroke = v > 0n ? '#c0392b' : '#bbbbbb';
    const mid = round((x1 + x2) / 2);
    const d = i === j ? `M${x1} ${y1} c 30 -30 30 30 0 0` : `M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}`;
    const tip = `${k}: ${formatUnits(a.amount, attrs.decimals)} ${attrs.symbol}, ${policy} ${formatUnits(v, attrs.decimals)}`;
    out.push(
      `<path d="${d}" stroke="${stroke}" stroke-width="${widthPx}" stroke-opacity="0.7"><title>${escapeXml(tip)}</title></path>`,
    );
  });
  out.push('</g>', '<g stroke="#333" stroke-width="0.8">');
  for (let i = 0; i < layout.nodes.length; i++) {
    const k = layout.nodes[i]!;
    const a = drawn.getNodeAttributes(k) as FlowNodeAttributes & Record<string, unknown>;
    const x = px(layout.x[i]!);
    const y = py(layout.y[i]!);
    const fill = CATEGORY_COLORS[a.seed && a.category === '' ? 'victim' : a.category] ?? CATEGORY_COLORS['']!;
    const stopped = (a[`stop_${policy}`] as string | undefined) ?? '';
    const r = a.seed ? 9 : a.category !== '' ? 7 : 4;
    const tip = `${a.label === a.address ? a.address : `${a.label} — ${a.address}`}${a.category ? ` [${a.category}]` : ''}${stopped ? ` stop: ${stopped}` : ''}`;
    out.push(
      `<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}"${stopped.includes('cash-out') ? ' stroke="#000" stroke-width="2.5"' : ''}><title>${escapeXml(tip)}</title></circle>`,
    );
    if (a.seed || a.labelName !== '') {
      const text = a.labelName !== '' ? a.labelName : shortId(a.address);
      out.push(
        `<text x="${x + r + 4}" y="${y + 4}" stroke="none" fill="#111">${escapeXml(text.length > 48 ? `${text.slice(0, 47)}…` : text)}</text>`,
      );
    }
  }
  out.push('</g>');
  const legend = Object.entries(CATEGORY_COLORS).filter(([c]) => c !== '');
  legend.forEach(([c, color], n) => {
    const x = margin.left + n * 90;
    out.push(
      `<circle cx="${x}" cy="${height - 20}" r="5" fill="${color}"/><text x="${x + 9}" y="${height - 16}">${c}</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
