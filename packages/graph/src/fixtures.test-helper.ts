import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTrace, type TraceFile } from '@fundflow/core';
import type { FlowGraph } from './types';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const SIM = join(ROOT, 'fixtures/sim-utxo-exchange-drain/expected.trace.json');

/** Every fixtures/<case>/expected.trace.json, by case name. */
export function fixtureTraces(): [string, string][] {
  const dir = join(ROOT, 'fixtures');
  return readdirSync(dir)
    .sort()
    .map((c) => [c, join(dir, c, 'expected.trace.json')] as [string, string])
    .filter(([, p]) => existsSync(p));
}

export function loadTrace(path: string): TraceFile {
  return parseTrace(readFileSync(path, 'utf8'));
}

/** Differences between two graphs: keys, endpoints, and every attribute of `a` (by strict equality) in `b`. */
export function graphDiff(a: FlowGraph, b: FlowGraph): string[] {
  const out: string[] = [];
  if (a.order !== b.order) out.push(`order ${a.order} ≠ ${b.order}`);
  if (a.size !== b.size) out.push(`size ${a.size} ≠ ${b.size}`);
  a.forEachNode((k, at) => {
    if (!b.hasNode(k)) return void out.push(`missing node ${k}`);
    const bt = b.getNodeAttributes(k) as Record<string, unknown>;
    for (const [n, v] of Object.entries(at))
      if (bt[n] !== v) out.push(`node ${k}.${n}: ${String(v)} ≠ ${String(bt[n])}`);
  });
  a.forEachEdge((k, at, s, t) => {
    if (!b.hasEdge(k)) return void out.push(`missing edge ${k}`);
    if (b.source(k) !== s || b.target(k) !== t) out.push(`edge ${k} endpoints differ`);
    const bt = b.getEdgeAttributes(k) as Record<string, unknown>;
    for (const [n, v] of Object.entries(at))
      if (bt[n] !== v) out.push(`edge ${k}.${n}: ${String(v)} ≠ ${String(bt[n])}`);
  });
  return out;
}
