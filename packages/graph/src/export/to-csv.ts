import type { FlowGraph } from '../types';

/**
 * CSV export (RFC 4180, CRLF-free `\n` lines): one file of nodes (`key` then every attribute, sorted) and one of edges
 * (`key,source,target` then every attribute, sorted). Text cells that a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-`, `@`, tab or CR) are prefixed with `'`.
 * @example const { nodes, edges } = toCsv(graph); writeFileSync('nodes.csv', nodes)
 */
export function toCsv(graph: FlowGraph): { nodes: string; edges: string } {
  const nodeCols = new Set<string>();
  graph.forEachNode((_k, a) => {
    for (const c of Object.keys(a)) nodeCols.add(c);
  });
  const edgeCols = new Set<string>();
  graph.forEachEdge((_k, a) => {
    for (const c of Object.keys(a)) edgeCols.add(c);
  });
  const nCols = [...nodeCols].sort();
  const eCols = [...edgeCols].sort();
  const nodes = [['key', ...nCols].map(cell).join(',')];
  graph.forEachNode((k, a) => {
    const r = a as Record<string, unknown>;
    nodes.push([k, ...nCols.map((c) => r[c])].map(cell).join(','));
  });
  const edges = [['key', 'source', 'target', ...eCols].map(cell).join(',')];
  graph.forEachEdge((k, a, s, t) => {
    const r = a as Record<string, unknown>;
    edges.push([k, s, t, ...eCols.map((c) => r[c])].map(cell).join(','));
  });
  return { nodes: `${nodes.join('\n')}\n`, edges: `${edges.join('\n')}\n` };
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Parses CSV text written by `toCsv` into rows of strings (quoted cells, doubled quotes, newlines inside quotes).
 * @example parseCsv('a,b\n1,"x,y"\n') // [['a', 'b'], ['1', 'x,y']]
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cur);
      cur = '';
    } else if (c === '\n') {
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
    } else cur += c;
  }
  if (cur !== '' || row.length > 0) {
    row.push(cur);
    rows.push(row);
  }
  return rows;
}
