import type { TraceFile } from '@fundflow/core';

/**
 * Common-input clustering (Meiklejohn et al. 2013): all input addresses of a transaction belong to one owner.
 * Transactions that look like a CoinJoin (≥ 3 equal-value outputs and ≥ 2 inputs) are skipped, as one false link
 * collapses unrelated clusters. Returns address → cluster representative (the smallest member address); addresses
 * that are alone map to themselves.
 * @example const rep = commonInputClusters(trace); rep.get('bc1q…') // 'bc1qa…', the smallest member
 */
export function commonInputClusters(trace: Pick<TraceFile, 'transactions'>): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (a: string): string => {
    let root = a;
    for (let p = parent.get(root); p !== undefined && p !== root; p = parent.get(root)) root = p;
    // Path compression keeps later look-ups flat.
    for (let n = a, p = parent.get(n); p !== undefined && p !== root; p = parent.get(n)) {
      parent.set(n, root);
      n = p;
    }
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    // The smaller address becomes the root: the representative does not depend on transaction order.
    if (ra < rb) parent.set(rb, ra);
    else parent.set(ra, rb);
  };
  for (const tx of trace.transactions) {
    const inputs = tx.inputs.filter((i) => i.address !== undefined && !i.coinbase).map((i) => i.address as string);
    if (inputs.length === 0) continue;
    if (
      looksLikeCoinJoin(
        tx.inputs.length,
        tx.outputs.map((o) => o.value),
      )
    )
      continue;
    for (const a of inputs) if (!parent.has(a)) parent.set(a, a);
    for (let i = 1; i < inputs.length; i++) union(inputs[0]!, inputs[i]!);
  }
  const out = new Map<string, string>();
  for (const a of parent.keys()) out.set(a, find(a));
  return out;
}

function looksLikeCoinJoin(inputs: number, outputs: string[]): boolean {
  if (inputs < 2 || outputs.length < 3) return false;
  const counts = new Map<string, number>();
  for (const v of outputs) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const c of counts.values()) if (c >= 3) return true;
  return false;
}
