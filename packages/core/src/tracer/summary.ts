import type { EdgeRecord, PolicyResult, StopRecord } from '../trace-file/schema';
import { compareStrings } from '../types';

/** Sorts a policy's edges and stops and adds the summary: stolen total, stops per reason, cash-outs per address. */
export function summarize(edges: EdgeRecord[], stops: StopRecord[]): PolicyResult {
  edges.sort((a, b) => compareStrings(a.transfer, b.transfer));
  stops.sort((a, b) => compareStrings(a.location, b.location) || compareStrings(a.reason, b.reason));
  let stolen = 0n;
  let maxHop = 0;
  for (const e of edges) {
    if (e.rule.startsWith('seed.')) stolen += BigInt(e.amount);
    maxHop = Math.max(maxHop, e.hop);
  }
  const byReason: Record<string, bigint> = {};
  const cash = new Map<string, { label: string; category: StopRecord['category']; amount: bigint }>();
  for (const s of stops) {
    byReason[s.reason] = (byReason[s.reason] ?? 0n) + BigInt(s.amount);
    if (s.reason !== 'cash-out') continue;
    const c = cash.get(s.address) ?? { label: s.label ?? '', category: s.category, amount: 0n };
    c.amount += BigInt(s.amount);
    cash.set(s.address, c);
  }
  return {
    edges,
    stops,
    summary: {
      stolen: stolen.toString(),
      byReason: Object.fromEntries(Object.entries(byReason).map(([k, v]) => [k, v.toString()])),
      cashOuts: [...cash]
        .sort((a, b) => (b[1].amount > a[1].amount ? 1 : b[1].amount < a[1].amount ? -1 : compareStrings(a[0], b[0])))
        .map(([address, c]) => ({
          address,
          label: c.label,
          category: c.category ?? 'other',
          amount: c.amount.toString(),
        })),
      maxHop,
    },
  };
}
